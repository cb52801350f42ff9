import 'aws-sdk-client-mock-jest';
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishCommand } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { type Delivery, deliveriesOf, deliveryMessage } from '../../../functions/core/alert/deliveries';
import { processEvent } from '../../../functions/guard/process-event';
import { sampleFacts } from '../core/alert/support';
import {
  ACCOUNT,
  GUARD_SENDER,
  mocks,
  processOptions,
  REGION,
  resetAws,
  testConfig,
  testPorts,
} from '../support/aws';

/** A chat message or Security Hub findings queued by the guard are sent from the queue, and only then. */
const securityhub = mockClient(SecurityHubClient);
const CHAT_TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:eks-endpoint-guard-chat`;
const NOW = new Date('2026-06-03T10:20:00Z');
const config = testConfig({ CHAT_TOPIC_ARN, SECURITY_HUB: 'true' });

const [topic, chat, findings] = deliveriesOf(
  sampleFacts('blocked'),
  { language: 'en', chat: true, securityHub: true },
  () => ({ subject: '[eks-endpoint-guard] prod-api: remediation blocked', text: 'body\n' }),
) as [Delivery, Delivery, Delivery];

function queued(delivery: Delivery, sender?: string) {
  return {
    Records: [
      {
        messageId: 'm-1',
        eventSource: 'aws:sqs',
        body: deliveryMessage(delivery, 'evt-0001'),
        receiptHandle: 'AQEBtest-handle',
        attributes: { ApproximateReceiveCount: '1', ...(sender && { SenderId: sender }) },
      },
    ],
  };
}

function run(event: unknown) {
  return processEvent(event, testPorts(NOW, config), processOptions(config));
}

beforeEach(() => {
  resetAws();
  securityhub.reset();
  securityhub.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, FailedFindings: [] });
});

describe('queued alert deliveries', () => {
  it('publish a queued chat message the guard sent to the chat topic, as it was made', async () => {
    // Act
    const response = await run(queued(chat, GUARD_SENDER));

    // Assess
    expect(response).toEqual({ results: [], batchItemFailures: [] });
    expect(mocks.sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: CHAT_TOPIC_ARN,
      Message: (chat as Extract<Delivery, { channel: 'chat' }>).input.Message,
    });
  });

  it('import queued findings the guard sent into Security Hub', async () => {
    // Act
    await run(queued(findings, GUARD_SENDER));

    // Assess
    expect(securityhub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 1);
  });

  it('are retried by SQS when the channel fails again', async () => {
    // Prepare
    mocks.sns.on(PublishCommand).rejects(new Error('throttled'));

    // Act
    const response = await run(queued(chat, GUARD_SENDER));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(response.results).toEqual([]);
  });

  it.each([
    ['another principal', 'AIDAEXAMPLEUSER0001'],
    ['no sender', undefined],
  ])('are never sent when %s queued them', async (_, sender) => {
    // Act
    const response = await run(queued(chat, sender));

    // Assess
    // The refusal itself is alerted (in every form); the queued message is not.
    expect(mocks.sns).not.toHaveReceivedCommandWith(PublishCommand, {
      Message: (chat as Extract<Delivery, { channel: 'chat' }>).input.Message,
    });
    expect(response.results[0]).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/an alert delivery sent by .*not by the guard's role; not delivered/),
    });
  });

  it('never take an alert topic message, which travels as a queued alert', async () => {
    // Act
    const response = await run(queued(topic, GUARD_SENDER));

    // Assess
    expect(response.results[0]).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/the alert topic takes queued alerts/),
    });
  });
});
