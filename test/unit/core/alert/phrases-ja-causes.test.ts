import { renderChat } from '../../../../functions/core/alert/chat';
import { renderEmailJa } from '../../../../functions/core/alert/email-ja';
import type { AlertFacts } from '../../../../functions/core/alert/fact-types';
import { factsOf } from '../../../../functions/core/alert/facts';
import { lockoutFixEn } from '../../../../functions/core/lockout';
import type { CheckResult } from '../../../../functions/core/result';
import { SAMPLE_OPTIONS, SAMPLES, SWEEP, sample } from '../../../../scripts/alert-samples';

/**
 * In a Japanese alert every sentence is the guard's own, in Japanese; only values from outside
 * (names, tags, user agents, ARNs, AWS's and EKS's messages) stay as they are, quoted 「…」.
 * Each decision the guard can alert is checked both ways: no English sentence outside 「…」, and
 * nothing inside 「…」 but an outside value of that decision.
 */

/** English left in Japanese text, once what is English by nature is taken out (see email-ja.test.ts). */
function untranslated(text: string): string[] {
  // Code spans first: an ARN inside one must not take its closing backtick with it.
  const stripped = text
    .replace(/`[^`]*`/g, ' ')
    .replace(/「[^」]*」/g, ' ')
    .replace(/\[eks-endpoint-guard\]/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/arn:[^\s)]+/g, ' ')
    .replace(/\b[\w./-]*\d[\w./:-]*\b/g, ' ')
    .replace(/\b\S*[/=_][\S]*/g, ' ')
    .replace(
      /\b(Direct Connect|Infrastructure as Code|Route 53 Resolver|Kubernetes|CloudTrail|EKS|VPC|VPN|NAT|IAM|RBAC|CIDR|SSM|DNS|DHCP|API|CI|IP|ID|ARN|JSON|UTC|AWS|kubectl)\b/g,
      ' ',
    );
  return [...stripped.matchAll(/[A-Za-z][A-Za-z'-]*(?:[ ,.;:]+[A-Za-z][A-Za-z'-]*){2,}/g)].map((m) => m[0]);
}

/** What came from outside the guard in these facts: the only text a Japanese alert may quote. */
function outsideValues(f: AlertFacts): Set<string> {
  const cause = f.cause;
  return new Set(
    [
      f.cluster,
      f.clusterArn,
      f.trigger.actorArn,
      f.trigger.userAgent,
      f.exemption?.reason,
      f.escalation?.actorArn,
      f.policyFault?.field,
      ...(f.update?.errors.map((e) => e.message) ?? []),
      ...(f.lockout?.dhcp?.servers ?? []),
      ...(f.blastRadius?.clusters ?? []),
      ...(f.clientsCutOff && Array.isArray(f.clientsCutOff.clients)
        ? f.clientsCutOff.clients.flatMap((c) => [c.ip, ...c.users, ...c.userAgents])
        : []),
      cause?.kind === 'eks-rejected' ? cause.message : undefined,
      cause?.kind === 'check-error' ? cause.error : undefined,
      cause?.kind === 'unreadable' ? cause.detail : undefined,
    ].filter((v): v is string => typeof v === 'string'),
  );
}

/** Words of the guard's own that Japanese text quotes as words, not sentences. */
const OWN_QUOTED_WORDS = new Set(['EKS の更新', '修復見送り', '不明', '該当なし']);

const quoted = (text: string) => [...text.matchAll(/「([^」]*)」/g)].map((m) => m[1]);

const BLOCKED = SAMPLES.blocked as CheckResult;
const SWEEP_FAULT: Partial<CheckResult> = {
  cluster: '-',
  clusterArn: undefined,
  trigger: SWEEP,
  violations: undefined,
  before: undefined,
  after: undefined,
  updateId: undefined,
  updateStatus: undefined,
  policy: undefined,
};

/** Every kind of alert whose words are the guard's own reason, fix or cause. */
const { resolved: _resolved, ...ALERTING_SAMPLES } = SAMPLES;
const DECISIONS: Record<string, CheckResult> = {
  ...ALERTING_SAMPLES,
  'blocked by DHCP options': {
    ...BLOCKED,
    lockout: {
      vpcId: 'vpc-0abc',
      turnOn: [],
      dhcp: { optionsId: 'dopt-1', servers: ['10.0.0.2'], zone: 'eu-west-1.eks.amazonaws.com' },
    },
    fix: 'the DHCP options …',
  },
  'blocked by DNS support and DHCP options': {
    ...BLOCKED,
    lockout: {
      vpcId: 'vpc-0abc',
      turnOn: ['dnsSupport', 'dnsHostnames'],
      dhcp: { servers: [], zone: 'eks.amazonaws.com' },
    },
  },
  'EKS rejecting the update': sample({
    outcome: 'failed',
    reason: 'EKS rejected the update: "Cluster is in a bad state"; nothing changed',
    cause: { kind: 'eks-rejected', message: 'Cluster is in a bad state' },
    updateId: undefined,
    updateStatus: undefined,
  }),
  'a cluster busy past the deadline': sample({
    outcome: 'failed',
    reason:
      'cluster is UPDATING after 7 re-checks; deadline 2026-06-03T12:17:41.000Z passed, nothing changed',
    cause: {
      kind: 'deadline',
      busy: { kind: 'cluster', status: 'UPDATING' },
      attempts: 7,
      deadline: '2026-06-03T12:17:41.000Z',
    },
    updateId: undefined,
    updateStatus: undefined,
  }),
  "the guard's own update busy past the deadline": sample({
    outcome: 'failed',
    reason:
      'update u-1 is InProgress after 9 re-checks; deadline 2026-06-03T12:17:41.000Z passed, nothing changed',
    cause: {
      kind: 'deadline',
      busy: { kind: 'update', updateId: 'u-1', status: 'InProgress' },
      attempts: 9,
      deadline: '2026-06-03T12:17:41.000Z',
    },
    updateStatus: 'InProgress',
  }),
  'another update past the deadline': sample({
    outcome: 'failed',
    reason:
      'another update is in progress after 3 re-checks; deadline 2026-06-03T12:17:41.000Z passed, nothing changed',
    cause: {
      kind: 'deadline',
      busy: { kind: 'another-update' },
      attempts: 3,
      deadline: '2026-06-03T12:17:41.000Z',
    },
    updateId: undefined,
    updateStatus: undefined,
  }),
  'an AWS error in a sweep': sample({
    outcome: 'failed',
    trigger: SWEEP,
    reason: 'could not check: AccessDeniedException: User is not authorized to perform: eks:DescribeCluster',
    cause: {
      kind: 'check-error',
      error: 'AccessDeniedException: User is not authorized to perform: eks:DescribeCluster',
    },
    updateId: undefined,
    updateStatus: undefined,
  }),
  'an event it cannot read': sample({
    ...SWEEP_FAULT,
    outcome: 'failed',
    trigger: { source: 'event' },
    reason: 'not an EventBridge, schedule or SQS event (fields: foo)',
    cause: { kind: 'unreadable', detail: 'not an EventBridge, schedule or SQS event (fields: foo)' },
  }),
  'an invalid policy field': sample({
    ...SWEEP_FAULT,
    cluster: 'prod-api',
    outcome: 'failed',
    reason:
      'policy /eks-endpoint-guard/policy: maxRemediationsPerRun: must be a whole number of at least 1, got 0; nothing changed',
  }),
  'a policy that is not JSON, met by a sweep': sample({
    ...SWEEP_FAULT,
    outcome: 'failed',
    reason: `policy /eks-endpoint-guard/policy: not valid JSON at line 4, column 3: missing ',' after the value at 3:19, before "mode"; sweep skipped, nothing changed`,
  }),
  'a policy that cannot be read': sample({
    ...SWEEP_FAULT,
    outcome: 'failed',
    reason:
      'policy /eks-endpoint-guard/policy: access to the parameter is denied; sweep skipped, nothing changed',
  }),
  'a grace period': sample({
    outcome: 'deferred',
    reason: 'public endpoint is enabled, but the policy requires it disabled; within the grace period',
    graceSince: '2026-06-03T10:17:41.000Z',
    graceUntil: '2026-06-03T10:47:41.000Z',
    updateId: undefined,
    updateStatus: undefined,
  }),
  'a sweep at its blast-radius limit': sample({
    ...SWEEP_FAULT,
    outcome: 'would-remediate',
    reason: 'blast-radius limit: …',
    blastRadius: { limit: 2, withheld: 5, clusters: ['team-a', 'team-b', 'team-c'] },
  }),
  'a weakened policy': sample({
    ...SWEEP_FAULT,
    outcome: 'ignored',
    trigger: {
      source: 'event',
      eventName: 'PutParameter',
      actorArn: 'arn:aws:sts::111122223333:assumed-role/Admin/kim',
    },
    reason: 'policy /eks-endpoint-guard/policy: changed by assumed-role/Admin/kim',
    policyChange: {
      parameter: '/eks-endpoint-guard/policy',
      eventName: 'PutParameter',
      version: 4,
      previousVersion: 3,
      changes: [
        'mode: enforce → notify',
        'allowedPublicCidrs: added 198.51.100.0/24',
        'exemptions: added "legacy-*" (OPS-9, no end date)',
        'maxRemediationsPerRun: 5 → unlimited',
      ],
      weaker: ['mode: enforce → notify', 'exemptions: added "legacy-*" (OPS-9, no end date)'],
    },
  }),
  'a deleted policy': sample({
    ...SWEEP_FAULT,
    outcome: 'failed',
    trigger: {
      source: 'event',
      eventName: 'DeleteParameter',
      actorArn: 'arn:aws:sts::111122223333:assumed-role/Admin/kim',
    },
    reason:
      'policy /eks-endpoint-guard/policy: the parameter was deleted by assumed-role/Admin/kim; the guard changes nothing on any cluster until it is restored',
    policyChange: {
      parameter: '/eks-endpoint-guard/policy',
      eventName: 'DeleteParameter',
      changes: ['the policy parameter was deleted'],
      weaker: ['the policy parameter was deleted'],
    },
  }),
  'a policy made invalid': sample({
    ...SWEEP_FAULT,
    outcome: 'failed',
    trigger: {
      source: 'event',
      eventName: 'PutParameter',
      actorArn: 'arn:aws:sts::111122223333:assumed-role/Admin/kim',
    },
    reason:
      'policy /eks-endpoint-guard/policy: mode: must be one of "enforce", "notify", got "audit"; changed by assumed-role/Admin/kim; nothing changed',
    policyChange: {
      parameter: '/eks-endpoint-guard/policy',
      eventName: 'PutParameter',
      version: 5,
      changes: ['version 5 is not a valid policy'],
      weaker: ['version 5 is not a valid policy'],
    },
  }),
};

const factsFor = (name: string) => {
  const facts = factsOf(DECISIONS[name] as CheckResult, SAMPLE_OPTIONS);
  if (!facts) throw new Error(`${name} alerts nobody`);
  return facts;
};

describe('Japanese alerts say everything in Japanese', () => {
  it.each(Object.keys(DECISIONS))('the e-mail for %s: no English sentence of the guard', (name) => {
    // Act
    const { subject, text } = renderEmailJa(factsFor(name));

    // Assess
    expect(untranslated(subject)).toEqual([]);
    expect(untranslated(text)).toEqual([]);
  });

  it.each(Object.keys(DECISIONS))('the e-mail for %s quotes outside values only', (name) => {
    // Prepare
    const facts = factsFor(name);

    // Act
    const { text } = renderEmailJa(facts);

    // Assess: a few words of the guard's own are quoted as words (a section, an outcome, 不明/該当なし)
    const outside = outsideValues(facts);
    expect(quoted(text).filter((q) => !outside.has(q ?? '') && !OWN_QUOTED_WORDS.has(q ?? ''))).toEqual([]);
  });

  it.each(Object.keys(DECISIONS))('the chat message for %s: no English sentence of the guard', (name) => {
    // Act
    const { content } = renderChat(factsFor(name), 'ja');

    // Assess
    expect(untranslated(content.title)).toEqual([]);
    expect(untranslated(content.description.replace(/\*[^*\n]*\*/g, ' '))).toEqual([]);
    expect((content.nextSteps ?? []).flatMap(untranslated)).toEqual([]);
  });

  it('the checks can fail: a quoted sentence of the guard is caught', () => {
    // Prepare: an alert rebuilt from an older record has only the English reason
    const facts = factsFor('blocked');
    const older = { ...facts, lockout: undefined };

    // Act
    const { text } = renderEmailJa(older);

    // Assess
    expect(quoted(text).filter((q) => !outsideValues(older).has(q ?? ''))).toContain(BLOCKED.reason);
  });
});

describe('the lockout advice in Japanese', () => {
  it('names the VPC attributes to turn on, with the commands', () => {
    // Act
    const { text } = renderEmailJa(factsFor('blocked by DNS support and DHCP options'));

    // Assess
    expect(text).toContain(
      'VPC vpc-0abc の DNS サポートと DNS ホスト名を有効にしてください (`aws ec2 modify-vpc-attribute --vpc-id vpc-0abc --enable-dns-support`、`aws ec2 modify-vpc-attribute --vpc-id vpc-0abc --enable-dns-hostnames`)。',
    );
    expect(text).toContain(
      'VPC vpc-0abc の DHCP オプションは DNS サーバーを配布しておらず、AmazonProvidedDNS を含まないため',
    );
  });

  it('quotes the DNS servers the DHCP options hand out, and names the zone to forward', () => {
    // Act
    const { subject, text } = renderEmailJa(factsFor('blocked by DHCP options'));

    // Assess
    expect(subject).toBe(
      '[eks-endpoint-guard] prod-api: 修復を見送りました (VPC の DHCP オプションがプライベートエンドポイントを解決できない)',
    );
    expect(text).toContain('DHCP オプション dopt-1 が配布する DNS サーバーは 「10.0.0.2」 だけで');
    expect(text).toContain('`eu-west-1.eks.amazonaws.com` を VPC のリゾルバー');
  });

  it('is the same facts the English fix is written from', () => {
    // Prepare
    const facts = factsFor('blocked');

    // Act
    const english = facts.lockout && lockoutFixEn(facts.lockout);

    // Assess
    expect(english).toBe(BLOCKED.fix);
  });
});

describe('the causes in Japanese', () => {
  it.each([
    [
      'EKS rejecting the update',
      'EKS が EKS クラスター prod-api のエンドポイントの更新を拒否したため、何も変更していません。EKS のメッセージ: 「Cluster is in a bad state」',
    ],
    [
      'a cluster busy past the deadline',
      'EKS クラスター prod-api はクラスターが UPDATING 状態のままで、7 回再チェックしましたが、期限 2026-06-03T12:17:41.000Z を過ぎたため、何も変更していません。',
    ],
    [
      'an invalid policy field',
      'SSM パラメータ /eks-endpoint-guard/policy のポリシーが無効です (項目 「maxRemediationsPerRun」 が規則に合いません)。',
    ],
    ['a policy that is not JSON, met by a sweep', '(4 行 3 列で JSON として読み取れません)'],
    ['a policy that is not JSON, met by a sweep', 'この定期チェックは中止しました。'],
    [
      'a grace period',
      '10:47 UTC (2026-06-03T10:47:41.000Z) までに除外が設定されるか、準拠する設定に直されない限り、ガードはその時点で元に戻します',
    ],
    [
      'a sweep at its blast-radius limit',
      '5 個のクラスターを変更せずに残しました: 「team-a」、「team-b」、「team-c」 ほか 2 個。',
    ],
    ['a weakened policy', '- mode: enforce → notify (強制が弱まります)'],
    ['a weakened policy', '- exemptions: "legacy-*" (OPS-9、期限なし) を追加 (強制が弱まります)'],
    ['a weakened policy', '- maxRemediationsPerRun: 5 → 無制限'],
    ['a deleted policy', 'によって削除されました。復元されるまで、ガードはどのクラスターも変更しません。'],
  ])('%s: says %s', (name, words) => {
    // Act
    const { text } = renderEmailJa(factsFor(name));

    // Assess
    expect(text).toContain(words);
  });
});
