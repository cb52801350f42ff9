import { factsOf, resolvedFactsOf } from '../../../../functions/core/alert/facts';
import { OUTCOMES } from '../../../../functions/core/outcome';
import { SAMPLE_OPTIONS, SAMPLES, sample } from '../../../../scripts/alert-samples';
import { HOSTILE, sampleFacts } from './support';

describe('alert facts', () => {
  it('exist only for decisions people must know about', () => {
    // Prepare
    const quiet = OUTCOMES.filter(
      (o) => !['remediated', 'would-remediate', 'exempt', 'blocked', 'failed'].includes(o),
    );
    // Act
    const built = quiet.map((outcome) => factsOf(sample({ outcome }), SAMPLE_OPTIONS));
    const escalated = factsOf(
      sample({ outcome: 'compliant', escalation: { remediations: 3, windowMinutes: 60 } }),
      SAMPLE_OPTIONS,
    );
    // Assess
    expect(built).toEqual(quiet.map(() => undefined));
    expect(escalated?.severity).toBe('critical');
  });

  it('exist for the first sighting of a violation under a grace period, and are critical for the blast-radius limit', () => {
    // Act
    const grace = factsOf(
      sample({
        outcome: 'deferred',
        graceUntil: '2026-06-03T11:20:00.000Z',
        reason: 'will be reverted at 11:20 UTC',
      }),
      SAMPLE_OPTIONS,
    );
    const capped = factsOf(
      sample({
        cluster: '-',
        outcome: 'would-remediate',
        blastRadius: { limit: 2, withheld: 3, clusters: ['a', 'b', 'c'] },
      }),
      SAMPLE_OPTIONS,
    );
    // Assess
    expect(grace).toMatchObject({
      outcome: 'deferred',
      severity: 'warning',
      reason: 'will be reverted at 11:20 UTC',
    });
    expect(capped?.severity).toBe('critical');
  });

  it('name the cluster, the account, the region, the actor, before and after, and the broken rules', () => {
    // Act
    const facts = sampleFacts('remediated');
    // Assess
    expect(facts).toMatchObject({
      status: 'open',
      outcome: 'remediated',
      severity: 'warning',
      cluster: 'prod-api',
      clusterArn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod-api',
      account: '111122223333',
      region: 'eu-west-1',
      partition: 'aws',
      changes: ['public-off', 'private-on'],
      mood: 'did',
      rules: ['public-disabled', 'private-required'],
      trigger: { actorLabel: 'assumed-role/PlatformAdmin/jdoe', byGuard: false },
      headline: { kind: 'remediated', change: 'public-off', cidrs: ['0.0.0.0/0'] },
    });
    expect(facts.access.map((a) => a.kind)).toEqual(['public-off', 'private-on', 'still-authenticated']);
    expect(facts.actions.map((a) => a.kind)).toEqual(['request-exception']);
  });

  it('link the networking tab of the EKS console and, for an event, the CloudTrail event', () => {
    // Act
    const byEvent = sampleFacts('remediated').links;
    const bySweep = sampleFacts('blocked').links;
    // Assess
    expect(byEvent).toEqual({
      console:
        'https://eu-west-1.console.aws.amazon.com/eks/clusters/prod-api?region=eu-west-1&selectedTab=cluster-networking-tab',
      cloudTrailEvent:
        'https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/7d1e6c2a-3f4b-4a5c-9d8e-0f1a2b3c4d5e',
    });
    expect(bySweep.cloudTrailEvent).toBeUndefined();
    expect(bySweep.console).toContain('/eks/clusters/prod-api?');
  });

  it('build no link from a value that is not what it claims to be', () => {
    // Prepare
    const odd = sample({
      region: 'eu-west-1/../../evil',
      trigger: { source: 'event', eventId: 'a"><script>' },
    });
    // Act
    const facts = factsOf(odd, SAMPLE_OPTIONS);
    const eventOnly = factsOf(sample({ trigger: { source: 'event', eventId: 'x y' } }), SAMPLE_OPTIONS);
    // Assess
    expect(facts?.links).toEqual({});
    expect(eventOnly?.links.cloudTrailEvent).toBeUndefined();
  });

  it('use the console of the cluster partition', () => {
    // Act
    const china = factsOf(
      sample({ region: 'cn-north-1', clusterArn: 'arn:aws-cn:eks:cn-north-1:111122223333:cluster/prod-api' }),
      SAMPLE_OPTIONS,
    );
    // Assess
    expect(china?.links.console).toMatch(/^https:\/\/console\.amazonaws\.cn\/eks\/clusters\/prod-api\?/);
    expect(china?.partition).toBe('aws-cn');
  });

  it('hold every outside string as one safe line', () => {
    // Prepare
    const hostile = sample({
      outcome: 'exempt',
      exemption: { source: 'tag', reason: HOSTILE },
      trigger: { source: 'event', actorArn: HOSTILE, userAgent: HOSTILE.repeat(20) },
      reason: HOSTILE,
    });
    // Act
    const facts = factsOf(hostile, SAMPLE_OPTIONS);
    const strings = JSON.stringify(facts);
    // Assess
    expect(strings).not.toMatch(/\\u0000|\\n|\\r|\u2028|\u202e/);
    expect(facts?.trigger.userAgent?.length).toBeLessThanOrEqual(200);
    expect(facts?.exemption?.reason).toContain('<!channel>');
  });

  it('read a policy fault, an update failure and the lockout cause back from the decision', () => {
    // Act
    const policy = sampleFacts('failed-policy');
    const update = sampleFacts('failed');
    const blocked = sampleFacts('blocked');
    const other = factsOf(
      sample({ outcome: 'blocked', reason: 'cluster is not active', fix: undefined }),
      SAMPLE_OPTIONS,
    );
    // Assess
    expect(policy.headline).toEqual({
      kind: 'policy-fault',
      fault: { source: '/eks-endpoint-guard/policy', state: 'missing' },
    });
    expect(policy.rules).toEqual(['check']);
    expect(policy.actions).toEqual([{ kind: 'fix-policy', parameter: '/eks-endpoint-guard/policy' }]);
    expect(update.headline).toEqual({ kind: 'update-failed', status: 'Failed', code: 'AccessDenied' });
    expect(blocked.headline).toEqual({
      kind: 'blocked',
      cause: { kind: 'dns', support: false, hostnames: true },
    });
    expect(other?.headline).toEqual({
      kind: 'blocked',
      cause: { kind: 'reason', reason: 'cluster is not active' },
    });
  });

  it.each([
    ['denied', 'AccessDeniedException: denied', 'unreadable'],
    ['empty', 'the parameter is empty', 'empty'],
    ['invalid', 'line 1: not JSON', 'invalid'],
  ])('name a policy that is %s', (_name, fault, state) => {
    // Act
    const facts = factsOf(sample({ outcome: 'failed', reason: `policy /p: ${fault}` }), SAMPLE_OPTIONS);
    // Assess
    expect(facts?.policyFault).toEqual({ source: '/p', state });
  });

  it('take the severity the alert already carries', () => {
    // Act
    const facts = factsOf(sample({ outcome: 'exempt' }), { ...SAMPLE_OPTIONS, severity: 'warning' });
    // Assess
    expect(facts?.severity).toBe('warning');
  });

  it('of a resolution close the rules the last alert was about, as info', () => {
    // Act
    const facts = resolvedFactsOf(SAMPLES.resolved as never, SAMPLES.blocked as never, SAMPLE_OPTIONS);
    // Assess
    expect(facts).toMatchObject({
      status: 'resolved',
      severity: 'info',
      resolves: 'blocked',
      rules: ['public-disabled', 'private-required'],
      headline: { kind: 'resolved', resolves: 'blocked' },
      access: [],
      actions: [],
    });
  });

  it('say what notify mode would change and what must be fixed before enforcing', () => {
    // Act
    const facts = sampleFacts('would-remediate');
    const narrowed = factsOf(
      sample({
        outcome: 'would-remediate',
        before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
        after: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['203.0.113.0/24'] },
      }),
      SAMPLE_OPTIONS,
    );
    // Assess
    expect(facts.mood).toBe('would');
    expect(facts.actions.map((a) => a.kind)).toEqual(['before-enforcing', 'request-exception']);
    expect(narrowed?.access.map((a) => a.kind)).toEqual([
      'narrowed',
      'nodes-through-nat',
      'still-authenticated',
    ]);
  });
});
