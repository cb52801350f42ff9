import { type App, Aws } from 'aws-cdk-lib';
import { DEFAULT_POLICY_PARAMETER_NAME } from '../functions/core/policy/policy';
import { OrgConfigError } from './org/config';
import { EndpointGuardStack, type EndpointGuardStackProps } from './stack';

export interface RegionalGuard {
  region: string;
  stack: EndpointGuardStack;
}

/**
 * One guard stack per region of one account (`-c regions=us-east-1,eu-west-1` to the app, then
 * `cdk deploy --all`; each region bootstrapped first). The first region is the home region: it
 * alone creates the policy parameter (the others read it by ARN, across regions, so there is one
 * policy that cannot drift) and, if asked for, the multi-region trail (one trail logs every region).
 */
export function buildRegionalGuards(
  app: App,
  regions: readonly string[],
  props: EndpointGuardStackProps,
): RegionalGuard[] {
  if (regions.length === 0) throw new OrgConfigError('regions: give at least one region');
  const [home] = regions;
  const sharedPolicy =
    props.policyParameter ??
    `arn:${Aws.PARTITION}:ssm:${home}:${Aws.ACCOUNT_ID}:parameter${DEFAULT_POLICY_PARAMETER_NAME}`;
  return regions.map((region) => {
    const isHome = region === home;
    const stack = new EndpointGuardStack(app, `EksEndpointGuard-${region}`, {
      ...props,
      env: { region },
      description: `eks-endpoint-guard (${region}${isHome ? ', home region: policy and trail' : ''})`,
      createTrail: isHome && props.createTrail,
      policyFile: isHome ? props.policyFile : undefined,
      policyParameter: isHome ? props.policyParameter : sharedPolicy,
    });
    if (!isHome)
      stack.addStackDependency(app.node.findChild(`EksEndpointGuard-${home}`) as EndpointGuardStack);
    return { region, stack };
  });
}
