import type { IacCluster, Setting } from '../../../../functions/core/iac/cluster';
import { evaluateCluster } from '../../../../functions/core/iac/evaluate';
import { fixText } from '../../../../functions/core/iac/words';
import { type PolicyInput, validatePolicy } from '../../../../functions/core/policy/policy';

const NOW = new Date('2026-12-01T10:00:00Z');

const RESTRICTED: PolicyInput = {
  version: 1,
  publicAccess: 'restricted',
  allowedPublicCidrs: ['203.0.113.0/24'],
  privateAccess: 'required',
  exemptions: [{ cluster: 'Legacy*', reason: 'OPS-123 migration' }],
  overrides: [{ clusters: ['dev-*'], publicAccess: 'allowed', privateAccess: 'optional' }],
};

function cluster(
  settings: Partial<Pick<IacCluster, 'publicAccess' | 'privateAccess' | 'publicAccessCidrs'>>,
  name = 'prod-api',
  from: IacCluster['name']['from'] = 'name',
): IacCluster {
  return {
    format: 'cloudformation',
    file: 'stack.yaml',
    resource: 'Cluster',
    resourceType: 'AWS::EKS::Cluster',
    name: { value: name, from },
    publicAccess: { state: 'absent' },
    privateAccess: { state: 'absent' },
    publicAccessCidrs: { state: 'absent' },
    tags: {},
    notes: [],
    ...settings,
  };
}

const set = <T>(value: T): Setting<T> => ({ state: 'set', value });
const unknown = <T>(expression: string, candidates?: T[]): Setting<T> => ({
  state: 'unknown',
  expression,
  ...(candidates ? { candidates } : {}),
});

function evaluate(subject: IacCluster, policy: PolicyInput = RESTRICTED) {
  return evaluateCluster(subject, validatePolicy(policy, 'test'), NOW);
}

describe('evaluateCluster', () => {
  it('applies the EKS defaults to absent settings: public on, private off, 0.0.0.0/0', () => {
    // Act
    const verdict = evaluate(cluster({}));

    // Assess
    expect(verdict.status).toBe('non-compliant');
    expect(verdict.config).toEqual({
      publicAccess: true,
      privateAccess: false,
      publicAccessCidrs: ['0.0.0.0/0'],
    });
    expect(verdict.findings.map((f) => [f.rule, f.setting])).toEqual([
      ['public-cidrs', 'publicAccessCidrs'],
      ['private-required', 'privateAccess'],
    ]);
    expect(verdict.findings[0]?.message).toBe(
      'public endpoint is open to 0.0.0.0/0, outside the allowed networks 203.0.113.0/24 (ResourcesVpcConfig.EndpointPublicAccess is not set, so the EKS default applies; ResourcesVpcConfig.PublicAccessCidrs is not set, so the EKS default applies)',
    );
    // The guard's own minimal target: narrowed to the allowed list, private on.
    expect(verdict.target).toEqual({
      publicAccess: true,
      privateAccess: true,
      publicAccessCidrs: ['203.0.113.0/24'],
    });
  });

  it('finds a compliant cluster compliant, with no target', () => {
    // Act
    const verdict = evaluate(cluster({ publicAccess: set(false), privateAccess: set(true) }));

    // Assess
    expect(verdict).toMatchObject({ status: 'compliant', findings: [] });
    expect(verdict.target).toBeUndefined();
  });

  it("applies an override matched by the cluster's name", () => {
    // Act
    const verdict = evaluate(cluster({}, 'dev-api'));

    // Assess
    expect(verdict.status).toBe('compliant');
    expect(verdict.effective.ruleSource).toBe('overrides[0] ("dev-*")');
  });

  it('applies an exemption matched by the logical id when the name is generated', () => {
    // Act
    const verdict = evaluate(cluster({}, 'LegacyCluster', 'logical-id'));

    // Assess
    expect(verdict.status).toBe('exempt');
    expect(verdict.exemption).toEqual({ source: 'policy', reason: 'OPS-123 migration' });
    expect(verdict.findings).toHaveLength(2);
  });

  it('applies a tag exemption written in the template', () => {
    // Act
    const verdict = evaluate({
      ...cluster({}),
      tags: { 'eks-endpoint-guard/exempt': 'INC-7 until 2027-01-31' },
    });

    // Assess
    expect(verdict.status).toBe('exempt');
    expect(verdict.exemption).toMatchObject({ source: 'tag', reason: 'INC-7', expires: '2027-01-31' });
  });

  it('reports a value known only at deploy under its own rule, never guessing it', () => {
    // Act
    const verdict = evaluate(cluster({ publicAccess: unknown('!Ref Public'), privateAccess: set(true) }));

    // Assess
    expect(verdict.status).toBe('unknown');
    expect(verdict.findings).toEqual([
      {
        rule: 'unknown-until-deploy',
        setting: 'publicAccess',
        message:
          "ResourcesVpcConfig.EndpointPublicAccess is !Ref Public: its value is known only at deploy, and the policy's public-cidrs depends on it",
      },
    ]);
    expect(verdict.target).toEqual({
      publicAccess: true,
      privateAccess: true,
      publicAccessCidrs: ['203.0.113.0/24'],
    });
  });

  it('needs no deploy-time value when every value it may take complies', () => {
    // Act: public access off makes the CIDRs irrelevant; both branches of an If comply.
    const offAnyway = evaluate(
      cluster({
        publicAccess: set(false),
        privateAccess: set(true),
        publicAccessCidrs: unknown('!GetAtt Eip.PublicIp'),
      }),
    );
    const bothBranches = evaluate(
      cluster({ publicAccess: unknown('!If [...]', [false, false]), privateAccess: set(true) }),
    );

    // Assess
    expect(offAnyway.status).toBe('compliant');
    expect(bothBranches.status).toBe('compliant');
  });

  it('reports a violation every value breaks as a violation, not as unknown', () => {
    // Act: whatever the expression, the private endpoint stays off where the policy requires it.
    const verdict = evaluate(cluster({ publicAccess: unknown('!Ref Public'), privateAccess: set(false) }), {
      version: 1,
      publicAccess: 'disabled',
      privateAccess: 'required',
    });

    // Assess
    expect(verdict.status).toBe('non-compliant');
    expect(verdict.findings.map((f) => f.rule)).toEqual(['private-required', 'unknown-until-deploy']);
  });

  it('treats a CIDR list known only at deploy as possibly outside the allowed networks, IPv6 included', () => {
    // Act: 0.0.0.0/0 is allowed, so only ::/0 can break the rule.
    const verdict = evaluate(
      cluster({
        publicAccess: set(true),
        privateAccess: set(true),
        publicAccessCidrs: unknown('!ImportValue cidrs'),
      }),
      { version: 1, publicAccess: 'restricted', allowedPublicCidrs: ['0.0.0.0/0'] },
    );
    const everything = evaluate(
      cluster({
        publicAccess: set(true),
        privateAccess: set(true),
        publicAccessCidrs: unknown('!ImportValue cidrs'),
      }),
      { version: 1, publicAccess: 'restricted', allowedPublicCidrs: ['0.0.0.0/0', '::/0'] },
    );

    // Assess
    expect(verdict.status).toBe('unknown');
    expect(everything.status).toBe('compliant');
  });

  it('reports a value the service refuses as invalid-value', () => {
    // Act
    const verdict = evaluate(
      cluster({
        publicAccess: set(false),
        privateAccess: { state: 'invalid', written: '"yes"', why: 'not true or false' },
      }),
    );

    // Assess
    expect(verdict.status).toBe('unknown');
    expect(verdict.findings).toEqual([
      {
        rule: 'invalid-value',
        setting: 'privateAccess',
        message:
          'ResourcesVpcConfig.EndpointPrivateAccess is "yes": not true or false; the service would refuse it, and the policy\'s private-required cannot be checked',
      },
    ]);
  });

  it('keeps the policy mode, for the hook and the output', () => {
    // Act
    const verdict = evaluate(cluster({}), { ...RESTRICTED, mode: 'notify' });

    // Assess
    expect(verdict.status).toBe('non-compliant');
    expect(verdict.effective.mode).toBe('notify');
  });
});

describe('fixText', () => {
  const target = { publicAccess: true, privateAccess: true, publicAccessCidrs: ['203.0.113.0/24'] };

  it.each([
    [
      { format: 'cloudformation', resourceType: 'AWS::EKS::Cluster' },
      'ResourcesVpcConfig: { EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: [203.0.113.0/24] }',
    ],
    [
      { format: 'cdk', resourceType: 'Custom::AWSCDK-EKS-Cluster' },
      "endpointAccess: EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24')",
    ],
    [
      { format: 'terraform', resourceType: 'aws_eks_cluster' },
      'vpc_config { endpoint_public_access = true, endpoint_private_access = true, public_access_cidrs = ["203.0.113.0/24"] }',
    ],
  ] as const)('writes the compliant values in the words of %o', (subject, expected) => {
    // Act
    const text = fixText(subject, target);

    // Assess
    expect(text).toBe(expected);
  });

  it('leaves the CIDRs out once the public endpoint is off', () => {
    // Act
    const text = fixText(
      { format: 'cdk', resourceType: 'AWS::EKS::Cluster' },
      { ...target, publicAccess: false },
    );

    // Assess
    expect(text).toBe(
      'ResourcesVpcConfig: { EndpointPublicAccess: false, EndpointPrivateAccess: true } (CDK: endpointAccess: EndpointAccess.PRIVATE on an aws-eks-v2 Cluster)',
    );
  });
});
