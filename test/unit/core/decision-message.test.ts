import {
  decisionMessage,
  decisionOfMessage,
  type QueuedDecision,
} from '../../../functions/core/decision-message';
import { normaliseEvent } from '../../../functions/core/triggers/normalise';

const DECISION: QueuedDecision = {
  result: {
    cluster: 'prod-api',
    region: 'us-east-1',
    account: '111122223333',
    outcome: 'remediated',
    reason: 'public endpoint is enabled; changed public (0.0.0.0/0) → private',
    time: '2026-06-03T10:20:00.000Z',
    correlationId: 'evt-0001',
    trigger: { source: 'event', actorArn: 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe' },
    attempt: 0,
    before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
    after: { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
    updateId: 'upd-0001',
    alertMessageId: 'msg-0001',
    deliveryQueued: true,
  },
  notify: false,
  record: true,
  followUp: false,
};

const GUARD_ROLE_ID = 'AROAEXAMPLEROLEID0009';

/** A queue record as SQS hands it over; by default sent by a session of the guard's role. */
function read(body: string, senderId = `${GUARD_ROLE_ID}:remediator`) {
  const event = {
    Records: [
      {
        eventSource: 'aws:sqs',
        messageId: 'm-1',
        body,
        receiptHandle: 'AQEBtest-handle',
        attributes: { SenderId: senderId },
      },
    ],
  };
  return normaliseEvent(event, { region: 'us-east-1', guardRoleId: GUARD_ROLE_ID, now: new Date() }).items[0];
}

describe('decision messages', () => {
  it('come back from the queue as the decision that was sent', () => {
    // Act
    const item = read(decisionMessage(DECISION));

    // Assess
    expect(item).toEqual({
      kind: 'decision',
      decision: DECISION,
      messageId: 'm-1',
      correlationId: 'evt-0001',
      proof: { receiptHandle: 'AQEBtest-handle', unproven: expect.objectContaining({ kind: 'unreadable' }) },
    });
  });

  it('are not delivered when anyone but the guard sent them', () => {
    // Act
    const item = read(decisionMessage(DECISION), 'AIDAEXAMPLEINTRUDER01');

    // Assess
    expect(item).toEqual(
      expect.objectContaining({
        kind: 'unreadable',
        reason: expect.stringContaining(
          "a decision sent by sender AIDAEXAMPLEINTRUDER01, not by the guard's role",
        ),
      }),
    );
  });

  it('drop fields a remediation does not carry', () => {
    // Prepare
    const body = JSON.parse(decisionMessage(DECISION));
    body.decision.result.fix = 'run this';
    body.decision.result.__proto__polluted = true;

    // Act
    const decision = decisionOfMessage(body);

    // Assess
    expect(decision).toEqual(DECISION);
  });

  it.each([
    ['another outcome', { outcome: 'compliant' }, 'decision.result.outcome: not a valid queued decision'],
    [
      'an illegal cluster name',
      { cluster: '../etc' },
      'decision.result.cluster: not a valid queued decision',
    ],
    ['a huge reason', { reason: 'x'.repeat(5000) }, 'decision.result.reason: not a valid queued decision'],
    ['no configurations', { before: undefined }, 'decision.result.before: not a valid queued decision'],
  ])('are unreadable with %s', (_what, change, reason) => {
    // Prepare
    // Written by hand, as anyone could: decisionMessage itself keeps the guard's values within the limits.
    const message = JSON.parse(decisionMessage(DECISION));
    const body = JSON.stringify({
      ...message,
      decision: { ...message.decision, result: { ...message.decision.result, ...change } },
    });

    // Act
    const item = read(body);

    // Assess
    expect(item).toMatchObject({ kind: 'unreadable', reason: `SQS message m-1: ${reason}` });
  });

  it('are unreadable in another version', () => {
    // Prepare
    const body = JSON.stringify({ ...JSON.parse(decisionMessage(DECISION)), version: 2 });

    // Act
    const item = read(body);

    // Assess
    expect(item).toMatchObject({ kind: 'unreadable', reason: 'SQS message m-1: version: expected 1, got 2' });
  });
});
