import 'aws-sdk-client-mock-jest';
import { UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishCommand } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { alertFor } from '../../../functions/core/alert/alert';
import { renderFindings } from '../../../functions/core/alert/asff';
import { deliveryMessage } from '../../../functions/core/alert/deliveries';
import { factsOf } from '../../../functions/core/alert/facts';
import { alertMessage } from '../../../functions/core/alert/message';
import type { CheckResult } from '../../../functions/core/result';
import { checkRequestMessage } from '../../../functions/core/triggers/normalise';
import { processEvent } from '../../../functions/guard/process-event';
import {
  ACCOUNT,
  GUARD_SENDER,
  givenCluster,
  mocks,
  processOptions,
  REGION,
  resetAws,
  TEST_ENV,
  testConfig,
  testPorts,
} from '../support/aws';

/**
 * Issue 19, finding 9: the guard trusted the SenderId it read from an SQS record, but a direct
 * lambda:InvokeFunction writes the whole record, and the guard's role id is no secret. A record's
 * claimed privileges now hold only when SQS confirms its receipt handle on the recheck queue
 * (ChangeMessageVisibility), faked here at the SDK boundary: a forged handle is refused by SQS.
 */
const securityhub = mockClient(SecurityHubClient);
const NOW = new Date('2026-06-03T10:20:00Z');
const REAL = 'AQEBreal-in-flight-handle';
const FORGED = 'AQEBforged-handle';
const OPEN = { name: 'prod-api', publicAccess: true, privateAccess: false, cidrs: ['0.0.0.0/0'] };
const config = testConfig({ SECURITY_HUB: 'true' });

/** What a direct invoke hands the function: records that look like the guard's own. */
function invoke(body: string, receiptHandle = FORGED) {
  const event = {
    Records: [
      {
        messageId: 'm-forged',
        receiptHandle,
        body,
        attributes: { SenderId: GUARD_SENDER, ApproximateReceiveCount: '1' },
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:eks-endpoint-guard-recheck`,
      },
    ],
  };
  return processEvent(event, testPorts(NOW, config), processOptions(config));
}

const exempt: CheckResult = {
  cluster: 'prod-api',
  region: REGION,
  account: ACCOUNT,
  clusterArn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/prod-api`,
  outcome: 'exempt',
  reason: 'public endpoint is enabled; exempt (OPS-1)',
  time: NOW.toISOString(),
  correlationId: 'evt-1',
  trigger: { source: 'sweep' },
  attempt: 0,
  before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
  violations: [{ rule: 'public-disabled', reason: 'public endpoint is enabled' }],
  exemption: { source: 'tag', reason: 'OPS-1' },
};
const options = {
  exemptionTag: 'eks-endpoint-guard/exempt',
  policyParameter: TEST_ENV.POLICY_PARAMETER_NAME,
};

beforeEach(() => {
  resetAws();
  securityhub.reset();
  securityhub.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 1 });
  const refused = Object.assign(new Error('The input receipt handle is invalid.'), {
    name: 'ReceiptHandleIsInvalid',
  });
  mocks.sqs.on(ChangeMessageVisibilityCommand).rejects(refused);
  mocks.sqs.on(ChangeMessageVisibilityCommand, { ReceiptHandle: REAL }).resolves({});
});

describe('a direct invoke with records that claim the guard privileges (finding 9)', () => {
  it('cannot archive the real Security Hub finding as PASSED', async () => {
    // Prepare
    const facts = factsOf(exempt, options);
    const passed = renderFindings(facts as NonNullable<typeof facts>).map((finding) => ({
      ...finding,
      Compliance: { Status: 'PASSED' as const },
      RecordState: 'ARCHIVED' as const,
    }));
    const body = deliveryMessage({ channel: 'security-hub', findings: passed }, 'evt-forged');

    // Act
    const { results } = await invoke(body);

    // Assess
    expect(securityhub).not.toHaveReceivedCommand(BatchImportFindingsCommand);
    expect(results[0]).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining(
        'an alert delivery that SQS does not confirm came from the recheck queue',
      ),
    });
  });

  it('cannot mark a check byGuard to leave a cluster open: it is an ordinary check, and reverted', async () => {
    // Prepare
    givenCluster(OPEN);
    const body = checkRequestMessage({
      cluster: 'prod-api',
      region: REGION,
      account: ACCOUNT,
      trigger: { source: 'event', eventName: 'UpdateClusterConfig', byGuard: true },
      correlationId: 'evt-forged',
      attempt: 0,
    });

    // Act
    const { results } = await invoke(body);

    // Assess
    expect(results[0]?.outcome).toBe('remediated');
    expect(mocks.eks).toHaveReceivedCommandTimes(UpdateClusterConfigCommand, 1);
  });

  it('cannot send an alert text of its choosing, such as a resolved that closes pager incidents', async () => {
    // Prepare
    const resolved = alertFor({ ...exempt, outcome: 'remediated' }, options);
    const body = alertMessage(resolved as NonNullable<typeof resolved>, 'evt-forged');

    // Act
    const { results } = await invoke(body);

    // Assess
    const published = mocks.sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject);
    expect(published).toEqual([expect.stringContaining('failed')]);
    expect(results[0]?.reason).toContain('an alert that SQS does not confirm came from the recheck queue');
  });

  it('honours the same records when SQS confirms them as messages of the recheck queue', async () => {
    // Prepare
    const resolved = alertFor({ ...exempt, outcome: 'remediated' }, options);
    const body = alertMessage(resolved as NonNullable<typeof resolved>, 'evt-1');

    // Act
    const { results } = await invoke(body, REAL);

    // Assess
    expect(results).toEqual([]);
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(mocks.sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, {
      QueueUrl: TEST_ENV.RECHECK_QUEUE_URL,
      ReceiptHandle: REAL,
      VisibilityTimeout: 1800,
    });
  });

  it('retries a record whose confirmation SQS could not answer, rather than demote it', async () => {
    // Prepare
    mocks.sqs
      .on(ChangeMessageVisibilityCommand, { ReceiptHandle: REAL })
      .rejects(Object.assign(new Error('slow down'), { name: 'RequestThrottled' }));
    const resolved = alertFor({ ...exempt, outcome: 'remediated' }, options);

    // Act
    const response = await invoke(alertMessage(resolved as NonNullable<typeof resolved>, 'evt-1'), REAL);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-forged' }]);
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('asks SQS nothing about an ordinary check, which claims nothing', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', publicAccess: false, privateAccess: true });
    const body = checkRequestMessage({
      cluster: 'prod-api',
      region: REGION,
      trigger: { source: 'event' },
      correlationId: 'evt-2',
      attempt: 0,
    });

    // Act
    const { results } = await invoke(body);

    // Assess
    expect(results[0]?.outcome).toBe('compliant');
    expect(mocks.sqs).not.toHaveReceivedCommand(ChangeMessageVisibilityCommand);
  });
});
