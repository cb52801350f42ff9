import fc from 'fast-check';
import {
  ALERT_SCHEMA,
  type AlertOptions,
  alertFor,
  snsMessage,
} from '../../../../functions/core/alert/alert';
import type { Trigger } from '../../../../functions/core/check-request';
import type { EndpointConfig } from '../../../../functions/core/endpoint';
import { OUTCOMES } from '../../../../functions/core/outcome';
import type { CheckResult, PolicyRef } from '../../../../functions/core/result';
import { schemaErrors } from './support';

const options: AlertOptions = {
  exemptionTag: 'eks-endpoint-guard/exempt',
  policyParameter: '/eks-endpoint-guard/policy',
};

const policy: PolicyRef = {
  source: '/eks-endpoint-guard/policy',
  version: 1,
  digest: 'sha256:3b7a4f0e9c2d1e8b6a5f4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f',
  mode: 'enforce',
  exemptionTag: 'eks-endpoint-guard/exempt',
  rule: 'publicAccess "disabled", privateAccess "required" (policy)',
};

const personTrigger: Trigger = {
  source: 'event',
  eventId: '7d1e6c2a-3f4b-4a5c-9d8e-0f1a2b3c4d5e',
  eventName: 'UpdateClusterConfig',
  eventTime: '2025-06-03T10:17:03Z',
  actorArn: 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe',
  sourceIp: '198.51.100.77',
  userAgent: 'aws-cli/2.22.4 md/command#eks.update-cluster-config',
};

const openToWorld: EndpointConfig = {
  publicAccess: true,
  privateAccess: false,
  publicAccessCidrs: ['0.0.0.0/0'],
};
const privateOnly: EndpointConfig = {
  publicAccess: false,
  privateAccess: true,
  publicAccessCidrs: ['0.0.0.0/0'],
};

function result(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    cluster: 'prod-api',
    region: 'eu-west-1',
    account: '111122223333',
    clusterArn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod-api',
    outcome: 'remediated',
    reason: 'public endpoint turned off as the policy requires',
    time: '2025-06-03T10:17:41.000Z',
    correlationId: personTrigger.eventId as string,
    trigger: personTrigger,
    attempt: 0,
    policy,
    violations: [
      { rule: 'public-disabled', reason: 'public endpoint is enabled, but the policy requires it disabled' },
      {
        rule: 'private-required',
        reason: 'private endpoint is disabled, but the policy requires it enabled',
      },
    ],
    before: openToWorld,
    after: privateOnly,
    updateId: '2c9d4e1f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
    updateStatus: 'InProgress',
    ...overrides,
  };
}

/** The body with aligned columns collapsed, so that assertions do not depend on padding. */
function flat(text: string): string {
  return text.replace(/ {2,}/g, ' ');
}

function alert(overrides: Partial<CheckResult> = {}) {
  const made = alertFor(result(overrides), options);
  if (!made) throw new Error('expected an alert');
  return made;
}

const restrictedPolicy: PolicyRef = {
  ...policy,
  rule: 'publicAccess "restricted" (203.0.113.0/24), privateAccess "optional" (overrides[0] ("analytics"))',
};

const narrowed = {
  cluster: 'analytics',
  policy: restrictedPolicy,
  violations: [
    {
      rule: 'public-cidrs' as const,
      reason: 'public endpoint is open to 192.0.2.0/24, outside the allowed networks 203.0.113.0/24',
      offendingCidrs: ['192.0.2.0/24'],
    },
  ],
  before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['203.0.113.0/24', '192.0.2.0/24'] },
  after: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['203.0.113.0/24'] },
};

const blocked = {
  outcome: 'blocked' as const,
  reason: 'turning the public endpoint off is unsafe: VPC vpc-0f1e2d3c4b5a69788 has DNS hostnames off',
  fix: 'enable `enableDnsHostnames` on vpc-0f1e2d3c4b5a69788 (aws ec2 modify-vpc-attribute --vpc-id vpc-0f1e2d3c4b5a69788 --enable-dns-hostnames)',
  updateId: undefined,
  updateStatus: undefined,
};

describe('alertFor: which decisions alert', () => {
  it.each(['compliant', 'deferred', 'ignored'] as const)('stays silent when the outcome is %s', (outcome) => {
    // Act
    const made = alertFor(result({ outcome }), options);

    // Assess
    expect(made).toBeUndefined();
  });

  it.each([
    ['remediated', 'warning'],
    ['would-remediate', 'warning'],
    ['exempt', 'info'],
    ['blocked', 'critical'],
    ['failed', 'critical'],
  ] as const)('alerts on %s with severity %s', (outcome, severity) => {
    // Act
    const made = alert({ outcome });

    // Assess
    expect(made.attributes).toEqual({ outcome, cluster: 'prod-api', severity, status: 'open' });
  });

  it('covers every outcome', () => {
    // Act
    const alerting = OUTCOMES.filter((outcome) => alertFor(result({ outcome }), options) !== undefined);

    // Assess
    expect(alerting).toEqual(['remediated', 'would-remediate', 'exempt', 'blocked', 'failed']);
  });
});

describe('alertFor: remediated', () => {
  it('says the public endpoint was turned off and what it was open to', () => {
    // Act
    const made = alert();

    // Assess
    expect(made.subject).toBe(
      '[eks-endpoint-guard] prod-api: public endpoint turned off (was open to 0.0.0.0/0)',
    );
  });

  it('tells the reader who changed what, and what that means', () => {
    // Act
    const { text } = alert();

    // Assess
    expect(text).toMatch(
      /^The guard changed EKS cluster prod-api to comply with the endpoint policy: it turned the public endpoint off and turned the private endpoint on\.\n/,
    );
    for (const fact of [
      'arn:aws:eks:eu-west-1:111122223333:cluster/prod-api',
      'Account: 111122223333',
      'Region: eu-west-1',
      'Actor: arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe',
      'Source IP: 198.51.100.77',
      'User agent: aws-cli/2.22.4 md/command#eks.update-cluster-config',
      'Event: UpdateClusterConfig (event id 7d1e6c2a-3f4b-4a5c-9d8e-0f1a2b3c4d5e)',
      'Time: 2025-06-03T10:17:03Z',
      'Before: public (0.0.0.0/0)',
      'After: private',
      '- public endpoint is enabled, but the policy requires it disabled [public-disabled]',
      'Rules: publicAccess "disabled", privateAccess "required" (policy)',
      `Digest: ${policy.digest}`,
      'Update id: 2c9d4e1f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
      'Tag the cluster eks-endpoint-guard/exempt=<reason> or add an entry to `exemptions` in /eks-endpoint-guard/policy.',
      'Correlation id: 7d1e6c2a-3f4b-4a5c-9d8e-0f1a2b3c4d5e',
    ]) {
      expect(flat(text)).toContain(fact);
    }
  });

  it('explains the loss of public access and the new private path', () => {
    // Act
    const { text } = alert();

    // Assess
    expect(text).toContain(
      'kubectl and CI from outside the VPC now need VPN, Direct Connect or peering into the VPC; inside the VPC the API name resolves to private IPs.',
    );
    expect(text).toContain('Nodes and pods in the VPC now reach the API server privately');
    expect(text).toContain('Access is still authenticated by IAM and authorised by Kubernetes RBAC.');
  });

  it('says public access was narrowed, and to what', () => {
    // Act
    const made = alert(narrowed);

    // Assess
    expect(made.subject).toBe('[eks-endpoint-guard] analytics: public access narrowed to 203.0.113.0/24');
    expect(made.text).toContain(
      'Only clients from 203.0.113.0/24 reach the public endpoint; kubectl and CI from other addresses are refused.',
    );
    expect(made.text).toContain(
      'Nodes reach the API server through NAT: their public addresses must be in that list.',
    );
    expect(flat(made.text)).toContain('Before: public (203.0.113.0/24, 192.0.2.0/24)');
  });

  it('shortens a long list of narrowed CIDRs in the subject', () => {
    // Prepare
    const cidrs = ['203.0.113.0/26', '203.0.113.64/26', '203.0.113.128/26', '203.0.113.192/26'];

    // Act
    const made = alert({ ...narrowed, after: { ...narrowed.after, publicAccessCidrs: cidrs } });

    // Assess
    expect(made.subject).toBe(
      '[eks-endpoint-guard] analytics: public access narrowed to 203.0.113.0/26 +3 more',
    );
  });

  it('says the private endpoint was turned on, and that peered networks still use public IPs', () => {
    // Prepare
    const before: EndpointConfig = {
      publicAccess: true,
      privateAccess: false,
      publicAccessCidrs: ['203.0.113.0/24'],
    };

    // Act
    const made = alert({ before, after: { ...before, privateAccess: true } });

    // Assess
    expect(made.subject).toBe('[eks-endpoint-guard] prod-api: private endpoint turned on');
    expect(made.text).toContain(
      'Nodes and pods in the VPC now reach the API server privately, without leaving the VPC.',
    );
    expect(made.text).toContain(
      'Over peering, VPN or Direct Connect the API name still resolves to public IPs',
    );
    expect(made.text).not.toContain('kubectl and CI from outside the VPC');
  });

  it('tells how the cluster was found when nobody made a change', () => {
    // Act
    const { text } = alert({
      trigger: { source: 'sweep', eventId: 'sweep-1', eventTime: '2025-06-03T15:00:00Z' },
    });

    // Assess
    expect(flat(text)).toContain('How it was found\n Found by: the periodic sweep');
    expect(text).not.toContain('Actor:');
  });
});

describe('alertFor: the policy that decided', () => {
  it('names the SSM parameter version beside the digest, never the schema version as the policy version', () => {
    // Act
    const versioned = alertFor(result({ policy: { ...policy, policyParameterVersion: 7 } }), options);
    const unknown = alertFor(result(), options);

    // Assess
    expect(versioned?.text).toContain(
      'Policy: /eks-endpoint-guard/policy, parameter version 7, mode enforce',
    );
    expect(unknown?.text).toContain('Policy: /eks-endpoint-guard/policy, mode enforce');
    expect(`${versioned?.text}${unknown?.text}`).not.toMatch(/\bversion 1\b/);
  });
});

describe('alertFor: would-remediate (notify mode)', () => {
  it('says what the guard would do, and changes nothing', () => {
    // Act
    const made = alert({ outcome: 'would-remediate', updateId: undefined, updateStatus: undefined });

    // Assess
    expect(made.subject).toBe('[eks-endpoint-guard] prod-api: would turn public endpoint off (notify mode)');
    expect(made.text).toContain('The policy is in notify mode, so nothing was changed');
    expect(made.text).toContain(
      'kubectl and CI from outside the VPC would need VPN, Direct Connect or peering',
    );
    expect(flat(made.text)).toContain('Compliant target: private');
    expect(made.text).toContain('Tag the cluster eks-endpoint-guard/exempt=<reason>');
    expect(made.text).not.toContain('EKS update');
  });

  it('names the CIDRs it would narrow to', () => {
    // Act
    const made = alert({ ...narrowed, outcome: 'would-remediate' });

    // Assess
    expect(made.subject).toBe(
      '[eks-endpoint-guard] analytics: would narrow public access to 203.0.113.0/24 (notify mode)',
    );
    expect(made.text).toContain('Only clients from 203.0.113.0/24 would reach the public endpoint');
  });

  it('says what must be fixed before the change could be enforced', () => {
    // Prepare
    const fix =
      'turn on DNS hostnames in vpc-0abc (aws ec2 modify-vpc-attribute --vpc-id vpc-0abc --enable-dns-hostnames)';

    // Act
    const made = alert({ outcome: 'would-remediate', updateId: undefined, updateStatus: undefined, fix });

    // Assess
    expect(made.text).toContain(`Before enforcing\n  ${fix}`);
    expect(made.text).toContain('the guard would refuse this change (outcome blocked)');
  });
});

describe('alertFor: blocked', () => {
  it('names the VPC setting to fix', () => {
    // Act
    const made = alert(blocked);

    // Assess
    expect(made.subject).toBe('[eks-endpoint-guard] prod-api: remediation blocked (VPC DNS hostnames off)');
    expect(made.attributes.severity).toBe('critical');
    expect(made.text).toContain(`What to fix\n  ${blocked.fix}`);
    expect(made.text).toContain('Nothing was changed: access stays public (0.0.0.0/0).');
    expect(made.text).toContain('Tag the cluster eks-endpoint-guard/exempt=<reason>');
  });

  it('names both DNS settings when both are off', () => {
    // Act
    const made = alert({
      ...blocked,
      fix: 'enable `enableDnsSupport` and `enableDnsHostnames` on vpc-0f1e2d3c4b5a69788',
    });

    // Assess
    expect(made.subject).toBe(
      '[eks-endpoint-guard] prod-api: remediation blocked (VPC DNS support and hostnames off)',
    );
  });
});

describe('alertFor: exempt', () => {
  it('says which exemption applies and until when', () => {
    // Act
    const made = alert({
      cluster: 'legacy-batch',
      outcome: 'exempt',
      reason: 'exempt by policy: OPS-123 migration',
      exemption: { source: 'policy', reason: 'OPS-123 migration', expires: '2027-01-31' },
      after: undefined,
      updateId: undefined,
      updateStatus: undefined,
    });

    // Assess
    expect(made.subject).toBe(
      '[eks-endpoint-guard] legacy-batch: non-compliant but exempt (OPS-123 migration)',
    );
    expect(made.attributes.severity).toBe('info');
    expect(made.text).toContain(
      'Granted by an entry in the policy exemptions, until 2027-01-31 (inclusive): OPS-123 migration',
    );
    expect(made.text).toContain('Nothing was changed: access stays public (0.0.0.0/0).');
    expect(made.text).not.toContain('Need an exception?');
  });
});

describe('alertFor: failed', () => {
  it('names an invalid policy without blaming the cluster', () => {
    // Act
    const made = alert({
      outcome: 'failed',
      reason:
        'policy /eks-endpoint-guard/policy: publicAccess: must be one of "disabled", "restricted", "allowed", got "off"',
      policy: undefined,
      violations: undefined,
      after: undefined,
      updateId: undefined,
      updateStatus: undefined,
    });

    // Assess
    expect(made.subject).toBe('[eks-endpoint-guard] failed: policy /eks-endpoint-guard/policy is invalid');
    expect(made.text).toContain(
      'publicAccess: must be one of "disabled", "restricted", "allowed", got "off"',
    );
    expect(made.text).toContain('Correct the policy in the SSM parameter /eks-endpoint-guard/policy');
  });

  it('says the policy is missing when the parameter does not exist', () => {
    // Act
    const made = alert({
      outcome: 'failed',
      reason: 'policy /eks-endpoint-guard/policy: the parameter does not exist',
    });

    // Assess
    expect(made.subject).toBe('[eks-endpoint-guard] failed: policy /eks-endpoint-guard/policy is missing');
  });

  it('gives the error codes and messages of a failed update', () => {
    // Act
    const made = alert({
      outcome: 'failed',
      reason: 'endpoint update 2c9d4e1f-5a6b-4c7d-8e9f-0a1b2c3d4e5f failed',
      updateStatus: 'Failed',
      updateErrors: [
        { code: 'InvalidParameterException', message: 'Public access CIDRs cannot include IPv6 blocks' },
      ],
    });

    // Assess
    expect(made.subject).toBe(
      '[eks-endpoint-guard] prod-api: endpoint update failed (InvalidParameterException)',
    );
    expect(flat(made.text)).toContain('Update id: 2c9d4e1f-5a6b-4c7d-8e9f-0a1b2c3d4e5f');
    expect(made.text).toContain(
      '  - InvalidParameterException: Public access CIDRs cannot include IPv6 blocks',
    );
  });

  it('gives the reason of any other failure', () => {
    // Act
    const made = alert({
      outcome: 'failed',
      reason: 'cluster still UPDATING at deadline 12:17Z',
      after: undefined,
      updateId: undefined,
      updateStatus: undefined,
    });

    // Assess
    expect(made.subject).toBe(
      '[eks-endpoint-guard] prod-api: check failed (cluster still UPDATING at deadline 12:17Z)',
    );
    expect(made.text).toContain(
      'The guard could not check or correct EKS cluster prod-api: cluster still UPDATING at deadline 12:17Z.',
    );
  });
});

describe('alertFor: escalation', () => {
  it('says the cluster keeps being made non-compliant, and by whom', () => {
    // Act
    const made = alert({
      escalation: { actorArn: personTrigger.actorArn, remediations: 3, windowMinutes: 60 },
    });

    // Assess
    expect(made.subject).toBe(
      '[eks-endpoint-guard] prod-api keeps being made non-compliant by assumed-role/PlatformAdmin/jdoe',
    );
    expect(made.attributes.severity).toBe('critical');
    expect(made.text).toMatch(
      /^EKS cluster prod-api keeps being made non-compliant: 3 remediations in the last 60 minutes/,
    );
    expect(made.text).toContain('\nThe guard changed EKS cluster prod-api to comply');
    expect(made.json.escalation).toEqual({
      actorArn: personTrigger.actorArn,
      remediations: 3,
      windowMinutes: 60,
    });
  });
});

describe('alertFor: subjects fit SNS', () => {
  const longName = `c${'x'.repeat(98)}9`;

  it.each([
    ['remediated', {}],
    ['would-remediate', { outcome: 'would-remediate' as const }],
    ['exempt', { outcome: 'exempt' as const, exemption: { source: 'tag' as const, reason: 'DR rehearsal' } }],
    ['blocked', blocked],
    [
      'failed',
      { outcome: 'failed' as const, reason: 'DescribeCluster kept failing: ServiceUnavailableException' },
    ],
    ['escalation', { escalation: { remediations: 4, windowMinutes: 60 } }],
  ])('keeps a %s subject for a 100-character cluster name under 100 characters', (_case, overrides) => {
    // Act
    const { subject } = alert({ ...overrides, cluster: longName });

    // Assess
    expect(longName).toHaveLength(100);
    expect(subject.length).toBeLessThanOrEqual(99);
    expect(subject).toMatch(/^\[eks-endpoint-guard\] cx{14,}…/);
  });

  it('keeps what happened when the cluster name is shortened', () => {
    // Act
    const { subject } = alert({ cluster: longName });

    // Assess
    expect(subject).toBe(
      `[eks-endpoint-guard] ${longName.slice(0, 25)}…: public endpoint turned off (was open to 0.0.0.0/0)`,
    );
  });

  it('puts any reason on one printable line', () => {
    // Act
    const { subject } = alert({
      outcome: 'failed',
      reason: 'DescribeCluster:\nThrottlingException\r\n\tretry later ✓',
    });

    // Assess
    expect(subject).toBe(
      '[eks-endpoint-guard] prod-api: check failed (DescribeCluster: ThrottlingException retry later)',
    );
  });

  it('holds for any cluster name and reason', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200, unit: 'binary' }),
        fc.string({ maxLength: 300, unit: 'binary' }),
        fc.constantFrom('remediated', 'would-remediate', 'exempt', 'blocked', 'failed' as const),
        (cluster, reason, outcome) => {
          const { subject } = alert({ cluster, reason, outcome });
          expect(subject.length).toBeLessThanOrEqual(99);
          expect(subject).toMatch(/^\[eks-endpoint-guard\] [\x20-\x7e…]*$/);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('alertFor: the machine form', () => {
  it('carries the decision and leaves out what is unknown', () => {
    // Act
    const { json } = alert({ account: undefined, escalation: undefined });

    // Assess
    expect(json).toMatchObject({
      schema: ALERT_SCHEMA,
      status: 'open',
      dedupKey: 'eks-endpoint-guard/unknown-account/eu-west-1/prod-api',
      outcome: 'remediated',
      severity: 'warning',
      cluster: 'prod-api',
      clusterArn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod-api',
      region: 'eu-west-1',
      reason: 'public endpoint turned off as the policy requires',
      before: openToWorld,
      after: privateOnly,
      update: { id: '2c9d4e1f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', status: 'InProgress', errors: [] },
      correlationId: personTrigger.eventId,
      time: '2025-06-03T10:17:41.000Z',
      links: {
        console:
          'https://eu-west-1.console.aws.amazon.com/eks/clusters/prod-api?region=eu-west-1&selectedTab=cluster-networking-tab',
      },
    });
    expect(json).not.toHaveProperty('account');
    expect(json).not.toHaveProperty('escalation');
    expect(schemaErrors(json)).toEqual([]);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('snsMessage', () => {
  it('sends text to people and JSON to machines, with filterable attributes', () => {
    // Prepare
    const made = alert(blocked);

    // Act
    const message = snsMessage(made);

    // Assess
    const bodies = JSON.parse(message.Message);
    expect(message.Subject).toBe(made.subject);
    expect(message.MessageStructure).toBe('json');
    expect(bodies.default).toBe(made.text);
    expect(bodies.email).toBe(made.text);
    for (const protocol of ['sqs', 'lambda', 'https'])
      expect(JSON.parse(bodies[protocol])).toEqual(made.json);
    expect(message.MessageAttributes).toEqual({
      outcome: { DataType: 'String', StringValue: 'blocked' },
      cluster: { DataType: 'String', StringValue: 'prod-api' },
      severity: { DataType: 'String', StringValue: 'critical' },
      status: { DataType: 'String', StringValue: 'open' },
    });
  });
});
