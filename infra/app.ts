import { DecisionBusConfigError } from '../functions/aws/decision-bus';
import { PolicyError } from '../functions/core/policy/policy';
import { AlertChannelsConfigError } from './alert-channels';
import { appShape, checkContextKeys, propsFromContext } from './app-context';
import { DecisionForwardingError } from './decision-forwarding';
import { buildRegionalGuards } from './multi-region';
import { buildOrgApp } from './org/app';
import { OrgConfigError, regionList } from './org/config';
import { EndpointGuardStack, GuardConfigError } from './stack';
import { applyStandards, synthesise } from './synth';

export { propsFromContext } from './app-context';

/**
 * The one CDK app (cdk.json): the context says which shape it takes.
 * - nothing: one guard stack, EksEndpointGuard, for the account and region of the credentials;
 * - `-c regions=us-east-1,eu-west-1`: one stack per region of one account (multi-region.ts);
 * - `-c organizationId=o-…` (with organizationalUnits and regions): the StackSet for every account
 *   of an organisation, and with centralAccount the central stack (org/app.ts).
 * A context key the app does not know is refused in one line that lists the known ones.
 */
export function buildApp(app: import('aws-cdk-lib').App): void {
  checkContextKeys(app.node);
  const shape = appShape(app.node);
  if (shape === 'organisation') {
    buildOrgApp(app);
  } else if (shape === 'regions') {
    buildRegionalGuards(app, regionList(app.node.tryGetContext('regions')), propsFromContext(app.node));
  } else {
    // Environment-agnostic: deploys to the account and region of the caller's credentials.
    new EndpointGuardStack(app, 'EksEndpointGuard', {
      ...propsFromContext(app.node),
      description:
        'eks-endpoint-guard: keeps EKS API server endpoints compliant with the organisation policy',
    });
  }
  applyStandards(app);
}

function main(): void {
  synthesise(buildApp, [
    PolicyError,
    GuardConfigError,
    OrgConfigError,
    AlertChannelsConfigError,
    DecisionForwardingError,
    DecisionBusConfigError,
  ]);
}

if (require.main === module) main();
