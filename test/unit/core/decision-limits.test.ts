import { cutTo, DECISION_LIMITS, fitDecision } from '../../../functions/core/decision-limits';
import {
  decisionMessage,
  decisionOfMessage,
  type QueuedDecision,
} from '../../../functions/core/decision-message';

const DECISION: QueuedDecision = {
  result: {
    cluster: 'prod-api',
    region: 'us-east-1',
    outcome: 'remediated',
    reason: 'public endpoint is enabled; changed public → private',
    time: '2026-06-03T10:20:00.000Z',
    correlationId: 'evt-0001',
    trigger: { source: 'event', actorArn: 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe' },
    attempt: 0,
    before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
    after: { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
    updateId: 'upd-0001',
  },
  notify: true,
  record: true,
  followUp: true,
};

describe('cutTo', () => {
  it('leaves a value within the limit as it is', () => {
    // Act
    const value = cutTo('abc', 3);

    // Assess
    expect(value).toBe('abc');
  });

  it('cuts a longer value to the limit, ending in an ellipsis', () => {
    // Act
    const value = cutTo('abcdef', 4);

    // Assess
    expect(value).toBe('abc…');
  });

  it('never leaves half of a surrogate pair at the cut', () => {
    // Prepare
    const emoji = '😀'.repeat(10);

    // Act
    const value = cutTo(emoji, 6);

    // Assess
    expect(value).toBe('😀😀…');
    expect(() => encodeURIComponent(value)).not.toThrow();
  });
});

describe('fitDecision', () => {
  it('cuts every free-text field to its limit, so the message reads back', () => {
    // Prepare
    const long = (n: number) => 'x'.repeat(n + 100);
    const decision: QueuedDecision = {
      ...DECISION,
      result: {
        ...DECISION.result,
        reason: long(DECISION_LIMITS.reason),
        clusterArn: long(DECISION_LIMITS.text),
        accessNote: long(DECISION_LIMITS.reason),
        trigger: {
          source: 'event',
          eventId: long(DECISION_LIMITS.text),
          eventName: long(DECISION_LIMITS.text),
          eventTime: long(DECISION_LIMITS.text),
          actorArn: long(DECISION_LIMITS.text),
          sourceIp: long(DECISION_LIMITS.text),
          userAgent: long(DECISION_LIMITS.text),
          tagKeys: Array.from({ length: 60 }, () => long(DECISION_LIMITS.tag)),
        },
        policy: {
          source: long(DECISION_LIMITS.text),
          version: 1,
          digest: long(DECISION_LIMITS.digest),
          mode: 'enforce',
          exemptionTag: long(DECISION_LIMITS.tag),
          rule: long(DECISION_LIMITS.reason),
        },
        violations: Array.from({ length: 12 }, () => ({
          rule: 'public-cidrs' as const,
          reason: long(DECISION_LIMITS.text),
          offendingCidrs: Array.from({ length: 45 }, (_, i) => `10.0.${i}.0/24`),
        })),
        escalation: { actorArn: long(DECISION_LIMITS.text), remediations: 3, windowMinutes: 60 },
        updateStatus: long(DECISION_LIMITS.status),
      },
    };

    // Act
    const read = decisionOfMessage(JSON.parse(decisionMessage(decision)));

    // Assess
    expect(typeof read).toBe('object');
    const result = (read as QueuedDecision).result;
    expect(result.reason).toHaveLength(DECISION_LIMITS.reason);
    expect(result.trigger.userAgent?.endsWith('…')).toBe(true);
    expect(result.trigger.tagKeys).toHaveLength(DECISION_LIMITS.tagKeys);
    expect(result.violations).toHaveLength(DECISION_LIMITS.violations);
    expect(result.violations?.[0]?.offendingCidrs).toHaveLength(DECISION_LIMITS.cidrs);
    expect(result.policy?.rule).toHaveLength(DECISION_LIMITS.reason);
    expect(result.after).toEqual(DECISION.result.after);
  });

  it('keeps a decision within the limits exactly as it is', () => {
    // Act
    const fitted = fitDecision(DECISION);

    // Assess
    expect(fitted).toEqual(DECISION);
  });
});

describe('decision messages after a grace period or a drift lookup', () => {
  it('carry the grace period and how the actor was found', () => {
    // Prepare
    const decision: QueuedDecision = {
      ...DECISION,
      result: {
        ...DECISION.result,
        graceSince: '2026-06-03T09:20:00.000Z',
        graceUntil: '2026-06-03T10:20:00.000Z',
        trigger: { source: 'sweep', actorArn: 'arn:aws:iam::111122223333:user/jdoe', actorSource: 'lookup' },
      },
    };

    // Act
    const read = decisionOfMessage(JSON.parse(decisionMessage(decision)));

    // Assess
    expect(read).toEqual(decision);
  });
});

describe('a record of intent', () => {
  it('reads back as pending, without an update id', () => {
    // Prepare
    const { updateId: _none, ...result } = DECISION.result;
    const intent: QueuedDecision = { ...DECISION, result, pending: true };

    // Act
    const read = decisionOfMessage(JSON.parse(decisionMessage(intent)));

    // Assess
    expect(read).toEqual(intent);
  });
});
