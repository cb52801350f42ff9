import { alertFor } from '../../../../functions/core/alert/alert';
import { factsOf } from '../../../../functions/core/alert/facts';
import { LANGUAGES, PHRASES } from '../../../../functions/core/alert/phrases';
import type { CheckResult } from '../../../../functions/core/result';
import { SAMPLE_OPTIONS, SAMPLES, sample } from '../../../../scripts/alert-samples';

/** Decisions covering every headline, change, access effect and action the facts can hold. */
const VARIANTS: Record<string, CheckResult> = {
  ...Object.fromEntries(Object.entries(SAMPLES).filter(([name]) => name !== 'resolved')),
  narrowed: sample({
    before: { publicAccess: true, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
    after: {
      publicAccess: true,
      privateAccess: true,
      publicAccessCidrs: ['203.0.113.0/24', '198.51.100.0/24', '192.0.2.0/24'],
    },
  }),
  'narrowed-notify': sample({
    outcome: 'would-remediate',
    before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
    after: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['203.0.113.0/24'] },
  }),
  'private-on': sample({
    before: { publicAccess: false, privateAccess: false, publicAccessCidrs: [] },
    after: { publicAccess: false, privateAccess: true, publicAccessCidrs: [] },
  }),
  'private-on-notify': sample({
    outcome: 'would-remediate',
    before: { publicAccess: false, privateAccess: false, publicAccessCidrs: [] },
    after: { publicAccess: false, privateAccess: true, publicAccessCidrs: [] },
  }),
  'no-change': sample({ before: undefined, after: undefined }),
  'no-change-notify': sample({ outcome: 'would-remediate', before: undefined, after: undefined }),
  'public-off-notify': sample({ outcome: 'would-remediate' }),
  'blocked-support': sample({
    outcome: 'blocked',
    reason: 'VPC has DNS support off',
    fix: 'enableDnsSupport',
  }),
  'blocked-both': sample({ outcome: 'blocked', reason: 'DNS support and DNS hostnames off' }),
  'blocked-other': sample({ outcome: 'blocked', reason: 'cluster is not active', fix: undefined }),
  'check-failed': sample({ outcome: 'failed', reason: 'DescribeCluster throttled', violations: undefined }),
  cancelled: sample({ outcome: 'failed', updateStatus: 'Cancelled', updateErrors: [] }),
  'policy-denied': sample({ outcome: 'failed', reason: 'policy /p: access denied' }),
  'exempt-tag': sample({
    outcome: 'exempt',
    exemption: { source: 'tag', reason: 'tagged eks-endpoint-guard/exempt' },
  }),
  'escalation-unknown': sample({
    escalation: { remediations: 3, windowMinutes: 30 },
    trigger: { source: 'sweep' },
  }),
  compliant: sample({ outcome: 'compliant', escalation: { remediations: 3, windowMinutes: 30 } }),
};

describe('phrases', () => {
  it.each(Object.keys(VARIANTS))(
    'in English headline the %s decision as the e-mail subject does today',
    (name) => {
      // Prepare
      const result = VARIANTS[name] as CheckResult;
      const facts = factsOf(result, SAMPLE_OPTIONS);
      // Act
      const headline = PHRASES.en.headline(facts?.headline as never, result.cluster);
      // Assess
      expect(`[eks-endpoint-guard] ${headline}`).toBe(alertFor(result, SAMPLE_OPTIONS)?.subject);
    },
  );

  it.each(Object.keys(VARIANTS).flatMap((name) => LANGUAGES.map((language) => [name, language] as const)))(
    'say every part of the %s decision in %s',
    (name, language) => {
      // Prepare
      const facts = factsOf(VARIANTS[name] as CheckResult, SAMPLE_OPTIONS);
      if (!facts) throw new Error(`${name} alerts nobody`);
      const say = PHRASES[language];
      // Act
      const parts = [
        say.headline(facts.headline, facts.cluster),
        ...say.happened(facts, (v) => v),
        ...facts.access.map((e) => say.access(e, facts.mood)),
        ...facts.actions.flatMap((a) => say.action(a, (v) => v)),
        ...facts.rules.map((r) => say.rule(r)),
        say.outcome(facts.outcome),
        say.severity(facts.severity),
        say.foundBy(facts.trigger.source),
      ];
      // Assess
      expect(parts.filter((part) => part.trim() === '')).toEqual([]);
    },
  );

  it('in English say what happened as the e-mail body does today', () => {
    // Prepare
    const result = VARIANTS.narrowed as CheckResult;
    const facts = factsOf(result, SAMPLE_OPTIONS);
    // Act
    const sentences = [
      ...PHRASES.en.happened(facts as never, (v) => v),
      ...(facts?.access ?? []).map((e) => PHRASES.en.access(e, 'did')),
    ];
    // Assess
    const body = alertFor(result, SAMPLE_OPTIONS)?.text.replace(/ {2,}/g, ' ') ?? '';
    for (const sentence of sentences) expect(body).toContain(sentence);
  });
});
