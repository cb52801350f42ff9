import 'aws-sdk-client-mock-jest';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DECISION_LIMITS } from '../../../functions/core/decision-limits';
import { processEvent } from '../../../functions/guard/process-event';
import {
  ACCOUNT,
  auditWrites,
  failRecordWrites,
  GUARD_SENDER,
  givenCluster,
  loadEvent,
  mocks,
  processOptions,
  REGION,
  resetAws,
  testPorts,
} from '../support/aws';

/**
 * The largest decision the guard can make: 40 exposed IPv6 networks against 40 allowed ones (the
 * most EKS and the policy take, every address written out in full), the private endpoint off, and
 * a user agent as long as a caller cares to send. When its first audit write fails, the decision
 * travels through the recheck queue and must come back as the `remediated` record it was.
 */
const ipv6 = (prefix: string, i: number) =>
  `2001:${prefix}:1111:2222:3333:4444:5555:${(0xa000 + i).toString(16)}/128`;
const ALLOWED = Array.from({ length: 40 }, (_, i) => ipv6('dddd', i));
const EXPOSED = Array.from({ length: 40 }, (_, i) => ipv6('eeee', i));
const POLICY = {
  version: 1,
  publicAccess: 'restricted',
  allowedPublicCidrs: ALLOWED,
  privateAccess: 'required',
};
const USER_AGENT = `aws-cli/2.22.4 ${'md/command#eks.update-cluster-config '.repeat(3000)}`;
const NOW = new Date('2026-06-03T10:20:00Z');

function openedEvent(): Record<string, unknown> {
  const event = loadEvent('update-config-open-world.json');
  const detail = event.detail as Record<string, unknown>;
  return {
    ...event,
    account: ACCOUNT,
    detail: { ...detail, recipientAccountId: ACCOUNT, userAgent: USER_AGENT },
  };
}

/** The message as the recheck queue hands it over: SQS confirms its receipt handle. */
function queueRecord(body: string) {
  return {
    Records: [
      {
        eventSource: 'aws:sqs',
        messageId: 'm-1',
        receiptHandle: 'AQEBtest-handle',
        body,
        attributes: { SenderId: GUARD_SENDER },
      },
    ],
  };
}

beforeEach(() => {
  resetAws(POLICY);
  givenCluster({ name: 'prod-api', publicAccess: true, privateAccess: false, cidrs: EXPOSED });
});

describe('the largest decision, queued after its audit write failed', () => {
  it('is written as its remediated record from the queue, not as a failure of cluster -', async () => {
    // Prepare
    failRecordWrites(new Error('table throttled'));
    mocks.dynamodb.on(QueryCommand).resolves({ Items: [] });
    const first = await processEvent(openedEvent(), testPorts(NOW), processOptions());
    const [queued] = mocks.sqs
      .commandCalls(SendMessageCommand)
      .map((call) => call.args[0].input.MessageBody ?? '')
      .filter(
        (body) => body.includes('"kind":"eks-endpoint-guard/decision"') && !body.includes('"pending":true'),
      );
    const writesBefore = auditWrites().length;

    // Act
    const later = await processEvent(queueRecord(queued ?? ''), testPorts(NOW), processOptions());

    // Assess
    expect(first.results[0]).toMatchObject({ outcome: 'remediated', deliveryQueued: true });
    expect(first.results[0]?.violations?.[0]?.reason.length).toBeGreaterThan(DECISION_LIMITS.text);
    expect(later.batchItemFailures).toEqual([]);
    expect(later.results.map((r) => [r.cluster, r.outcome])).toEqual([['prod-api', 'remediated']]);
    const written = auditWrites().slice(writesBefore);
    expect(written).toHaveLength(1);
    const [record] = written;
    expect(record).toMatchObject({
      cluster: 'prod-api',
      outcome: 'remediated',
      updateId: 'upd-0001',
      after: first.results[0]?.after,
      before: first.results[0]?.before,
    });
  });

  it('keeps every value within the limits and marks what was cut', async () => {
    // Prepare
    failRecordWrites(new Error('table throttled'));

    // Act
    await processEvent(openedEvent(), testPorts(NOW), processOptions());

    // Assess
    const body = mocks.sqs
      .commandCalls(SendMessageCommand)
      .map((call) => JSON.parse(call.args[0].input.MessageBody ?? '{}'))
      .find((message) => message.kind === 'eks-endpoint-guard/decision' && !message.decision.pending);
    const result = body.decision.result;
    expect(result.trigger.userAgent).toHaveLength(DECISION_LIMITS.text);
    expect(result.trigger.userAgent.endsWith('…')).toBe(true);
    expect(result.violations[0].reason).toHaveLength(DECISION_LIMITS.text);
    expect(result.reason.length).toBeLessThanOrEqual(DECISION_LIMITS.reason);
    expect(result.before.publicAccessCidrs).toEqual(EXPOSED);
    expect(result.region).toBe(REGION);
  });
});
