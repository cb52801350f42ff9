import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { SNSClient } from '@aws-sdk/client-sns';
import fc from 'fast-check';
import { notifier } from '../../../../functions/aws/notifier';
import type { CheckRequest } from '../../../../functions/core/check-request';
import { type EndpointConfig, sameEndpointConfig } from '../../../../functions/core/endpoint';
import { cloudFormationClusters } from '../../../../functions/core/iac/cloudformation';
import { evaluateCluster, type IacVerdict } from '../../../../functions/core/iac/evaluate';
import { jsonSource } from '../../../../functions/core/iac/json-source';
import { terraformClusters } from '../../../../functions/core/iac/terraform';
import { yamlSource } from '../../../../functions/core/iac/yaml-source';
import { type PolicyInput, validatePolicy } from '../../../../functions/core/policy/policy';
import { checkCluster } from '../../../../functions/guard/check';
import { answerHook } from '../../../../functions/guard/hook';
import { policySource } from '../../../../functions/guard/policy-source';
import { clusterOf, mocks, REGION, resetAws, TOPIC_ARN, testPorts } from '../../support/aws';
import { cidrsOf, clusterNameArb, endpointConfigArb, policyInputArb } from '../arbitraries';
import { stackCreate } from './fixtures/hook-requests';

/**
 * One rule in four places (DESIGN §17): a random cluster configuration, written as a
 * CloudFormation template, as a Terraform plan, sent to the hook, and found by the live guard
 * (DescribeCluster faked at the SDK boundary, report-only), gets the same verdict everywhere:
 * compliant, exempt, or non-compliant with the same rules broken and the same compliant target.
 */
const NOW = new Date('2026-12-01T10:00:00Z');
const EXEMPTION_TAG = 'eks-endpoint-guard/exempt';

interface Case {
  policy: PolicyInput;
  name: string;
  config: EndpointConfig;
  /** Which settings are left out (the configuration then holds the EKS default for them). */
  omit: { publicAccess: boolean; privateAccess: boolean; cidrs: boolean };
  /** Booleans written as the strings "true" and "false". */
  strings: boolean;
  /** Exempt through the policy's exemption tag, written on the cluster. */
  tagged: boolean;
  yaml: boolean;
}

const caseArb: fc.Arbitrary<Case> = fc
  .tuple(policyInputArb, clusterNameArb)
  .chain(([policy, name]) =>
    fc.record({
      policy: fc.constant(policy),
      name: fc.constant(name),
      config: endpointConfigArb(cidrsOf(policy)),
      omit: fc.record({ publicAccess: fc.boolean(), privateAccess: fc.boolean(), cidrs: fc.boolean() }),
      strings: fc.boolean(),
      tagged: fc.boolean(),
      yaml: fc.boolean(),
    }),
  )
  .map((c) => {
    // A setting left out has the EKS default: public on, private off, 0.0.0.0/0.
    const publicAccess = c.omit.publicAccess || c.config.publicAccess;
    // EKS never has both endpoints off: private is left out (off) only beside a public endpoint.
    const omitPrivate = c.omit.privateAccess && publicAccess;
    return {
      ...c,
      config: {
        publicAccess,
        privateAccess: omitPrivate ? false : c.config.privateAccess,
        publicAccessCidrs: c.omit.cidrs ? ['0.0.0.0/0'] : c.config.publicAccessCidrs,
      },
      omit: { publicAccess: c.omit.publicAccess, privateAccess: omitPrivate, cidrs: c.omit.cidrs },
    };
  });

function written(c: Case, value: boolean): boolean | string {
  return c.strings ? String(value) : value;
}

/** The CloudFormation properties of the cluster (the template's and the hook's). */
function properties(c: Case): Record<string, unknown> {
  return {
    Name: c.name,
    RoleArn: 'arn:aws:iam::111122223333:role/eks-cluster',
    ResourcesVpcConfig: {
      SubnetIds: ['subnet-0a1'],
      ...(c.omit.publicAccess ? {} : { EndpointPublicAccess: written(c, c.config.publicAccess) }),
      ...(c.omit.privateAccess ? {} : { EndpointPrivateAccess: written(c, c.config.privateAccess) }),
      ...(c.omit.cidrs ? {} : { PublicAccessCidrs: c.config.publicAccessCidrs }),
    },
    ...(c.tagged ? { Tags: [{ Key: EXEMPTION_TAG, Value: 'OPS-1 migration' }] } : {}),
  };
}

function viaTemplate(c: Case): IacVerdict {
  const template = { Resources: { Cluster: { Type: 'AWS::EKS::Cluster', Properties: properties(c) } } };
  // JSON text is YAML too: the YAML reader gets a block-style rendering of the same template.
  const text = c.yaml ? toYaml(template) : JSON.stringify(template, null, 2);
  const doc = c.yaml ? yamlSource(text, 'stack.yaml') : jsonSource(text, 'stack.json');
  const [cluster] = cloudFormationClusters(doc, 'stack', { format: 'cloudformation' });
  if (!cluster) throw new Error('the template reader found no cluster');
  return evaluateCluster(cluster, validatePolicy(c.policy, 'property'), NOW);
}

function viaTerraform(c: Case): IacVerdict {
  const vpc = {
    endpoint_public_access: written(c, c.config.publicAccess),
    endpoint_private_access: written(c, c.config.privateAccess),
    ...(c.omit.cidrs ? {} : { public_access_cidrs: c.config.publicAccessCidrs }),
    subnet_ids: ['subnet-0a1'],
  };
  const tags = c.tagged ? { [EXEMPTION_TAG]: 'OPS-1 migration' } : {};
  const plan = {
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: { root_module: { resources: [] } },
    resource_changes: [
      {
        address: 'aws_eks_cluster.this',
        mode: 'managed',
        type: 'aws_eks_cluster',
        name: 'this',
        change: {
          actions: ['create'],
          before: null,
          after: { name: c.name, vpc_config: [vpc], tags, tags_all: tags },
          after_unknown: { arn: true, vpc_config: [{ public_access_cidrs: c.omit.cidrs, vpc_id: true }] },
        },
      },
    ],
    configuration: {
      root_module: {
        resources: [
          {
            address: 'aws_eks_cluster.this',
            mode: 'managed',
            type: 'aws_eks_cluster',
            name: 'this',
            expressions: {
              name: { constant_value: c.name },
              vpc_config: [
                c.omit.cidrs ? {} : { public_access_cidrs: { constant_value: c.config.publicAccessCidrs } },
              ],
            },
          },
        ],
      },
    },
  };
  const [cluster] = terraformClusters(jsonSource(JSON.stringify(plan), 'plan.json'), 'plan.json');
  if (!cluster) throw new Error('the plan reader found no cluster');
  return evaluateCluster(cluster, validatePolicy(c.policy, 'property'), NOW);
}

async function viaHook(c: Case) {
  const ports = {
    policy: policySource(JSON.stringify(c.policy), 'property'),
    notifier: notifier(new SNSClient({ region: REGION }), TOPIC_ARN),
    clock: () => NOW,
  };
  return answerHook(stackCreate(properties(c)), ports, {
    onHookError: 'deny',
    region: REGION,
    policyTimeoutMs: 5_000,
    alertTimeoutMs: 5_000,
  });
}

async function viaGuard(c: Case) {
  const cluster = clusterOf({
    name: c.name,
    tags: c.tagged ? { [EXEMPTION_TAG]: 'OPS-1 migration' } : {},
    ...(c.omit.publicAccess ? {} : { publicAccess: c.config.publicAccess }),
    ...(c.omit.privateAccess ? {} : { privateAccess: c.config.privateAccess }),
    ...(c.omit.cidrs ? {} : { cidrs: c.config.publicAccessCidrs }),
  });
  mocks.eks.on(DescribeClusterCommand, { name: c.name }).resolves({ cluster });
  const request: CheckRequest = {
    cluster: c.name,
    region: REGION,
    correlationId: 'property',
    attempt: 0,
    trigger: { source: 'cli' },
  };
  const ports = { ...testPorts(NOW), policy: policySource(JSON.stringify(c.policy), 'property') };
  return checkCluster(request, ports, {
    region: REGION,
    act: false,
    recheckDeadlineMinutes: 120,
    flipFlop: { threshold: 3, windowMinutes: 60 },
  });
}

describe('one rule in four places', () => {
  beforeAll(() => resetAws());

  it('the template, the Terraform plan, the hook and the live guard agree', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        // Act
        const template = viaTemplate(c);
        const terraform = viaTerraform(c);
        const hook = await viaHook(c);
        const guard = await viaGuard(c);

        // Assess: the two readers agree with each other...
        expect(terraform.status).toBe(template.status);
        expect(rulesOf(terraform)).toEqual(rulesOf(template));
        expect(sameTarget(terraform.target, template.target)).toBe(true);
        // ...with the live guard...
        const guardStatus =
          guard.outcome === 'compliant'
            ? 'compliant'
            : guard.outcome === 'exempt'
              ? 'exempt'
              : 'non-compliant';
        expect([guard.outcome, guardStatus]).toEqual([guard.outcome, template.status]);
        expect((guard.violations ?? []).map((v) => v.rule).sort()).toEqual(rulesOf(template));
        if (guardStatus === 'non-compliant') expect(sameTarget(guard.after, template.target)).toBe(true);
        // ...and with the hook, which blocks exactly what breaks an enforced policy.
        const blocks = template.status === 'non-compliant' && template.effective.mode === 'enforce';
        expect(hook.hookStatus).toBe(blocks ? 'FAILED' : 'SUCCESS');
        if (blocks) expect(hook.errorCode).toBe('NonCompliant');
      }),
      { numRuns: 150 },
    );
  });
});

function rulesOf(verdict: IacVerdict): string[] {
  return verdict.findings.map((f) => f.rule).sort();
}

function sameTarget(a: EndpointConfig | undefined, b: EndpointConfig | undefined): boolean {
  if (!a || !b) return a === b;
  return sameEndpointConfig(a, b);
}

/** Block-style YAML of plain data: every scalar as a JSON string or literal, which YAML reads alike. */
function toYaml(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    return value.map((item) => `\n${indent}- ${toYaml(item, `${indent}  `).trimStart()}`).join('');
  }
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .map(([key, item]) => {
        const nested = item && typeof item === 'object';
        return `\n${indent}${JSON.stringify(key)}:${nested ? toYaml(item, `${indent}  `) : ` ${JSON.stringify(item)}`}`;
      })
      .join('');
  }
  return JSON.stringify(value);
}
