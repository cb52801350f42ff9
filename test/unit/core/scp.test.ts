import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { type PolicyInput, validatePolicy } from '../../../functions/core/policy/policy';
import { renderScp, SCP_MAX_CHARACTERS, type ScpDocument } from '../../../functions/core/scp';

/**
 * The rendered SCP proven by an independent IAM policy simulator (a test-only dependency): for each
 * policy shape, exactly the requests that should be refused are refused. Requests carry the EKS
 * condition keys only when the call carries the field, as EKS does: a CreateCluster that leaves the
 * endpoint to the defaults has neither key, nor has an UpdateClusterConfig that changes logging.
 */
const ACCOUNT = '123456789012';
const GUARD = `arn:aws:iam::${ACCOUNT}:role/EksEndpointGuard-Remediator`;
const BREAK_GLASS = `arn:aws:iam::${ACCOUNT}:role/BreakGlass`;
const DEVELOPER = `arn:aws:iam::${ACCOUNT}:role/Developer`;
const NOW = new Date('2026-12-01T12:00:00Z');

const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

type Verdict = 'allowed' | 'denied';

interface Request {
  action: 'CreateCluster' | 'UpdateClusterConfig';
  /** The cluster (UpdateClusterConfig); CreateCluster has no cluster ARN. */
  cluster?: string;
  publicAccess?: boolean;
  privateAccess?: boolean;
  principal?: string;
}

async function decide(document: ScpDocument, request: Request): Promise<Verdict> {
  const principal = request.principal ?? DEVELOPER;
  const context: Record<string, string> = { 'aws:PrincipalArn': principal };
  if (request.publicAccess !== undefined) context['eks:endpointPublicAccess'] = String(request.publicAccess);
  if (request.privateAccess !== undefined)
    context['eks:endpointPrivateAccess'] = String(request.privateAccess);
  const simulation: Simulation = {
    identityPolicies: [{ name: 'admin', policy: ALLOW_ALL }],
    serviceControlPolicies: [
      {
        orgIdentifier: 'ou-guarded',
        policies: [
          { name: 'FullAWSAccess', policy: ALLOW_ALL },
          { name: 'eks-endpoint-guard', policy: document as unknown as Record<string, unknown> },
        ],
      },
    ],
    resourceControlPolicies: [],
    request: {
      action: `eks:${request.action}`,
      principal,
      resource: {
        accountId: ACCOUNT,
        resource: request.cluster ? `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/${request.cluster}` : '*',
      },
      contextVariables: context,
    },
  } as Simulation;
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`simulation failed: ${JSON.stringify(result.errors)}`);
  if (result.overallResult === 'Allowed') return 'allowed';
  if (result.overallResult === 'ExplicitlyDenied') return 'denied';
  throw new Error(`unexpected result ${result.overallResult}`);
}

function render(input: Omit<PolicyInput, 'version'>, roles = { guard: GUARD, breakGlass: [BREAK_GLASS] }) {
  const policy = validatePolicy({ version: 1, ...input }, 'test');
  return renderScp(policy, { guardRoleArn: roles.guard, breakGlassRoleArns: roles.breakGlass, now: NOW });
}

const update = (cluster: string, fields: Omit<Request, 'action' | 'cluster'> = {}): Request => ({
  action: 'UpdateClusterConfig',
  cluster,
  ...fields,
});
const create = (fields: Omit<Request, 'action' | 'cluster'> = {}): Request => ({
  action: 'CreateCluster',
  ...fields,
});

type Case = [string, Request, Verdict];

async function verdicts(document: ScpDocument | undefined, cases: Case[]) {
  if (!document) throw new Error('no SCP rendered');
  const seen: Case[] = [];
  for (const [name, request] of cases) seen.push([name, request, await decide(document, request)]);
  return seen;
}

describe('public endpoint disabled, private endpoint required', () => {
  const scp = render({ publicAccess: 'disabled', privateAccess: 'required' });
  const cases: Case[] = [
    ['update turning public on', update('prod', { publicAccess: true }), 'denied'],
    [
      'update turning public on and private on',
      update('prod', { publicAccess: true, privateAccess: true }),
      'denied',
    ],
    [
      'update turning public off, private on',
      update('prod', { publicAccess: false, privateAccess: true }),
      'allowed',
    ],
    ['update turning private off', update('prod', { privateAccess: false }), 'denied'],
    ['update of logging only (no endpoint field)', update('prod'), 'allowed'],
    ['create with the defaults (no endpoint field)', create(), 'denied'],
    ['create private only', create({ publicAccess: false, privateAccess: true }), 'allowed'],
    ['create public off, private left to its default (off)', create({ publicAccess: false }), 'denied'],
    ['create public and private on', create({ publicAccess: true, privateAccess: true }), 'denied'],
    ['the guard turning public on', update('prod', { publicAccess: true, principal: GUARD }), 'allowed'],
    ['break glass creating with the defaults', create({ principal: BREAK_GLASS }), 'allowed'],
  ];

  it('refuses exactly the requests that would make a cluster non-compliant', async () => {
    // Act
    const seen = await verdicts(scp.document, cases);

    // Assess
    expect(seen).toEqual(cases);
  });

  it('says what it cannot prevent', () => {
    // Assess
    expect(scp.fits).toBe(true);
    expect(scp.cannotPrevent).toEqual([
      'tag exemptions (eks-endpoint-guard/exempt): the SCP does not honour them; the owner of an exempt cluster needs the break-glass role to change its endpoint against the policy',
      'clusters that are already non-compliant: an SCP refuses requests, it changes nothing; the sweep remediates them',
      'the management account and service-linked roles: SCPs do not apply to them',
    ]);
  });
});

describe('public endpoint disabled, private endpoint optional', () => {
  const scp = render({ publicAccess: 'disabled', privateAccess: 'optional' });
  const cases: Case[] = [
    ['update turning private off', update('prod', { privateAccess: false }), 'allowed'],
    ['update turning public on', update('prod', { publicAccess: true }), 'denied'],
    ['create with the defaults', create(), 'denied'],
    ['create public off, private left to its default', create({ publicAccess: false }), 'allowed'],
  ];

  it('refuses public on only', async () => {
    // Act
    const seen = await verdicts(scp.document, cases);

    // Assess
    expect(seen).toEqual(cases);
  });
});

describe('public endpoint restricted, private endpoint required', () => {
  const scp = render({
    publicAccess: 'restricted',
    allowedPublicCidrs: ['203.0.113.0/24'],
    privateAccess: 'required',
  });
  const cases: Case[] = [
    ['update turning public on', update('prod', { publicAccess: true }), 'allowed'],
    ['update turning private off', update('prod', { privateAccess: false }), 'denied'],
    ['update of logging only', update('prod'), 'allowed'],
    ['create with the defaults (private off)', create(), 'denied'],
    ['create public and private on', create({ publicAccess: true, privateAccess: true }), 'allowed'],
  ];

  it('refuses private off only, and says the CIDRs stay remediation-only', async () => {
    // Act
    const seen = await verdicts(scp.document, cases);

    // Assess
    expect(seen).toEqual(cases);
    expect(scp.cannotPrevent[0]).toMatch(
      /^publicAccessCidrs: no condition key covers them, so "restricted" stays remediation-only/,
    );
  });
});

describe('overrides and exemptions', () => {
  const scp = render({
    publicAccess: 'disabled',
    privateAccess: 'required',
    exemptionTag: 'eks-endpoint-guard/exempt',
    exemptions: [
      { cluster: 'legacy-*', reason: 'OPS-1', expires: '2027-01-31' },
      { cluster: 'old-*', reason: 'OPS-2', expires: '2026-11-30' },
    ],
    overrides: [
      { clusters: ['dev-*', 'sandbox-?'], publicAccess: 'allowed', privateAccess: 'optional' },
      { clusters: ['edge-*'], publicAccess: 'restricted', allowedPublicCidrs: ['203.0.113.0/24'] },
    ],
  });
  const cases: Case[] = [
    ['dev cluster turning public on', update('dev-api', { publicAccess: true }), 'allowed'],
    ['dev cluster turning private off', update('dev-api', { privateAccess: false }), 'allowed'],
    [
      'sandbox-1 turning public on (? matches one character)',
      update('sandbox-1', { publicAccess: true }),
      'allowed',
    ],
    ['sandbox-12 turning public on', update('sandbox-12', { publicAccess: true }), 'denied'],
    ['edge cluster turning public on (restricted)', update('edge-1', { publicAccess: true }), 'allowed'],
    [
      'edge cluster turning private off (still required)',
      update('edge-1', { privateAccess: false }),
      'denied',
    ],
    ['prod turning public on', update('prod', { publicAccess: true }), 'denied'],
    ['an exempt cluster turning public on', update('legacy-batch', { publicAccess: true }), 'allowed'],
    ['a cluster whose exemption expired', update('old-batch', { publicAccess: true }), 'denied'],
    ['create with the defaults (cannot tell dev from prod)', create(), 'allowed'],
  ];

  it('become cluster ARN exceptions on updates', async () => {
    // Act
    const seen = await verdicts(scp.document, cases);

    // Assess
    expect(seen).toEqual(cases);
  });

  it('say that CreateCluster cannot be scoped to names and when to render again', () => {
    // Assess
    expect(scp.cannotPrevent.slice(0, 3)).toEqual([
      'the exemption of "legacy-*" ends 2027-01-31: render and attach the SCP again then, or the SCP keeps exempting it',
      'CreateCluster with the public endpoint on for clusters other than dev-*, sandbox-?, edge-*, legacy-*: CreateCluster has no cluster ARN to tell names apart, so the guard remediates new clusters',
      'CreateCluster with the private endpoint off for clusters other than dev-*, sandbox-?, legacy-*: CreateCluster has no cluster ARN to tell names apart, so the guard remediates new clusters',
    ]);
  });
});

describe('a permissive policy with strict overrides', () => {
  const scp = render({
    publicAccess: 'allowed',
    privateAccess: 'optional',
    overrides: [{ clusters: ['prod-*'], publicAccess: 'disabled', privateAccess: 'required' }],
  });
  const cases: Case[] = [
    ['prod turning public on', update('prod-api', { publicAccess: true }), 'denied'],
    ['prod turning private off', update('prod-api', { privateAccess: false }), 'denied'],
    ['dev turning public on', update('dev-api', { publicAccess: true }), 'allowed'],
    ['create with the defaults', create(), 'allowed'],
  ];

  it('refuses updates of the strict clusters only', async () => {
    // Act
    const seen = await verdicts(scp.document, cases);

    // Assess
    expect(seen).toEqual(cases);
  });

  it('leaves a strict override after a relaxed one to remediation (first match wins)', () => {
    // Act
    const rendered = render({
      publicAccess: 'allowed',
      overrides: [
        { clusters: ['prod-legacy'], publicAccess: 'allowed' },
        { clusters: ['prod-*'], publicAccess: 'disabled' },
      ],
    });

    // Assess: no public statement that would refuse prod-legacy, which the policy allows
    expect(rendered.document?.Statement.map((s) => s.Sid)).toEqual([
      'DenyPrivateEndpointUpdate',
      'DenyPrivateEndpointCreate',
    ]);
    expect(rendered.cannotPrevent[0]).toMatch(
      /^turning the public endpoint on on prod-\*: an earlier override/,
    );
  });
});

describe('limits', () => {
  it('renders nothing for a policy that allows everything', () => {
    // Act
    const rendered = render({ publicAccess: 'allowed', privateAccess: 'optional' });

    // Assess
    expect(rendered).toMatchObject({ document: undefined, size: 0 });
  });

  it('exempts no principal when no role is given', () => {
    // Act
    const rendered = render({ publicAccess: 'disabled' }, { guard: '', breakGlass: [] });

    // Assess
    expect(rendered.document?.Statement.every((s) => !('ArnNotLike' in s.Condition))).toBe(true);
  });

  it('says when the SCP is over the size limit', () => {
    // Prepare
    const clusters = Array.from({ length: 200 }, (_, i) => `team-${String(i).padStart(3, '0')}-*`);

    // Act
    const rendered = render({ publicAccess: 'disabled', overrides: [{ clusters, publicAccess: 'allowed' }] });

    // Assess
    expect(rendered.size).toBeGreaterThan(SCP_MAX_CHARACTERS);
    expect(rendered.fits).toBe(false);
    expect(rendered.size).toBe(JSON.stringify(rendered.document).length);
  });

  it('says that notify mode makes the SCP stricter than the guard', () => {
    // Act
    const rendered = render({ mode: 'notify', publicAccess: 'disabled' });

    // Assess
    expect(rendered.cannotPrevent).toContain(
      'the policy is in notify mode: attached, this SCP refuses what the guard only reports',
    );
  });
});
