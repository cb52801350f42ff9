/**
 * One sample decision per alerting outcome (and a resolution), for the committed alert examples
 * (docs/alert-examples) and the renderer tests. Documentation addresses and accounts only.
 */
import type { FactsOptions } from '../functions/core/alert/fact-types';
import type { Trigger } from '../functions/core/check-request';
import type { EndpointConfig } from '../functions/core/endpoint';
import type { CheckResult, PolicyRef } from '../functions/core/result';

export const SAMPLE_OPTIONS: FactsOptions = {
  exemptionTag: 'eks-endpoint-guard/exempt',
  policyParameter: '/eks-endpoint-guard/policy',
};

const policy: PolicyRef = {
  source: '/eks-endpoint-guard/policy',
  version: 3,
  digest: 'sha256:3b7a4f0e9c2d1e8b6a5f4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f',
  mode: 'enforce',
  exemptionTag: 'eks-endpoint-guard/exempt',
  rule: 'publicAccess "disabled", privateAccess "required" (policy)',
};

export const PERSON: Trigger = {
  source: 'event',
  eventId: '7d1e6c2a-3f4b-4a5c-9d8e-0f1a2b3c4d5e',
  eventName: 'UpdateClusterConfig',
  eventTime: '2026-06-03T10:17:03Z',
  actorArn: 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe',
  sourceIp: '198.51.100.77',
  userAgent: 'aws-cli/2.22.4 md/command#eks.update-cluster-config',
};

export const SWEEP: Trigger = {
  source: 'sweep',
  eventId: 'b1c2d3e4-0000-4000-8000-000000000001',
  eventTime: '2026-06-03T11:00:00Z',
};

const open: EndpointConfig = { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] };
const privateOnly: EndpointConfig = {
  publicAccess: false,
  privateAccess: true,
  publicAccessCidrs: ['0.0.0.0/0'],
};
const violations: CheckResult['violations'] = [
  { rule: 'public-disabled', reason: 'public endpoint is enabled, but the policy requires it disabled' },
  { rule: 'private-required', reason: 'private endpoint is disabled, but the policy requires it enabled' },
];

/** The clients the sample's change cuts off, as the audit log showed them. */
export const CLIENTS_CUT_OFF: CheckResult['clientsCutOff'] = {
  clients: [
    {
      ip: '198.51.100.23',
      users: ['system:serviceaccount:argocd:argocd-application-controller'],
      userAgents: ['argocd-application-controller/v2.13.1 (linux/amd64)'],
      requests: 1284,
      lastSeen: '2026-06-03T10:12:40.000Z',
    },
    {
      ip: '203.0.113.40',
      users: ['arn:aws:sts::111122223333:assumed-role/Developer/maria'],
      userAgents: ['kubectl/v1.33.1 (darwin/arm64) kubernetes/8adc0f0'],
      requests: 17,
      lastSeen: '2026-06-03T09:58:02.000Z',
    },
  ],
  since: '2026-06-02T10:17:41.000Z',
  until: '2026-06-03T10:17:41.000Z',
  newestEvent: '2026-06-03T10:12:40.000Z',
  seen: 5,
  strategy: 'insights',
  bytesScanned: 48_234_112,
};

export function sample(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    cluster: 'prod-api',
    region: 'eu-west-1',
    account: '111122223333',
    clusterArn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod-api',
    outcome: 'remediated',
    reason: 'public endpoint turned off as the policy requires',
    time: '2026-06-03T10:17:41.000Z',
    correlationId: PERSON.eventId as string,
    trigger: PERSON,
    attempt: 0,
    policy,
    violations,
    before: open,
    after: privateOnly,
    updateId: '2c9d4e1f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
    updateStatus: 'InProgress',
    ...overrides,
  };
}

/** Name → decision; `resolved` is a compliant decision after the `blocked` one. */
export const SAMPLES: Record<string, CheckResult> = {
  remediated: sample({ clientsCutOff: CLIENTS_CUT_OFF }),
  'would-remediate': sample({
    clientsCutOff: {
      clients: 'unknown',
      cause: 'logging-off',
      why: 'the cluster\'s control-plane audit log is off (EKS logging type "audit")',
      since: '2026-06-02T10:17:41.000Z',
      until: '2026-06-03T10:17:41.000Z',
      strategy: 'insights',
    },
    outcome: 'would-remediate',
    reason: 'non-compliant; notify mode, nothing changed',
    policy: { ...policy, mode: 'notify' },
    updateId: undefined,
    updateStatus: undefined,
    fix: 'Enable DNS hostnames on VPC vpc-0abc: aws ec2 modify-vpc-attribute --vpc-id vpc-0abc --enable-dns-hostnames',
  }),
  exempt: sample({
    outcome: 'exempt',
    reason: 'non-compliant but exempt',
    after: undefined,
    updateId: undefined,
    updateStatus: undefined,
    exemption: { source: 'policy', reason: 'OPS-123 load test', expires: '2026-07-31' },
  }),
  blocked: sample({
    outcome: 'blocked',
    reason:
      'turning the public endpoint off would lock out private clients: VPC vpc-0abc has DNS hostnames off',
    trigger: SWEEP,
    correlationId: 'sweep-b1c2d3e4',
    updateId: undefined,
    updateStatus: undefined,
    fix: 'Enable DNS hostnames on VPC vpc-0abc: aws ec2 modify-vpc-attribute --vpc-id vpc-0abc --enable-dns-hostnames',
  }),
  failed: sample({
    outcome: 'failed',
    reason: 'the endpoint update failed',
    updateStatus: 'Failed',
    updateErrors: [{ code: 'AccessDenied', message: 'The cluster role cannot manage the endpoint' }],
  }),
  'failed-policy': sample({
    outcome: 'failed',
    reason: 'policy /eks-endpoint-guard/policy: parameter not found',
    violations: undefined,
    before: undefined,
    after: undefined,
    updateId: undefined,
    updateStatus: undefined,
    policy: undefined,
  }),
  escalation: sample({ escalation: { actorArn: PERSON.actorArn, remediations: 4, windowMinutes: 60 } }),
  resolved: sample({
    outcome: 'compliant',
    reason: 'compliant',
    trigger: SWEEP,
    correlationId: 'sweep-c3d4e5f6',
    time: '2026-06-03T12:00:02.000Z',
    before: privateOnly,
    after: undefined,
    violations: undefined,
    updateId: undefined,
    updateStatus: undefined,
  }),
};
