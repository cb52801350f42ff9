import 'aws-sdk-client-mock-jest';
import {
  BatchImportFindingsCommand,
  type BatchImportFindingsCommandInput,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ChatNotificationSchema } from '../../../functions/core/alert/chat';
import { DELIVERY_MESSAGE_KIND, deliveryOfMessage } from '../../../functions/core/alert/deliveries';
import type { CheckRequest } from '../../../functions/core/check-request';
import type { CheckResult } from '../../../functions/core/result';
import { checkCluster } from '../../../functions/guard/check';
import type { GuardOptions } from '../../../functions/guard/options';
import { schemaErrors } from '../core/alert/support';
import {
  ACCOUNT,
  givenClaimsThrottled,
  givenClaimTable,
  givenCluster,
  givenPolicy,
  givenVpcDns,
  lastAlert,
  mocks,
  REGION,
  resetAws,
  STRICT_POLICY,
  TOPIC_ARN,
  testConfig,
  testPorts,
} from '../support/aws';

/** The guard's alerts in every form it is configured for (DESIGN §10), AWS faked at the SDK boundary. */
const securityhub = mockClient(SecurityHubClient);
const CHAT_TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:eks-endpoint-guard-chat`;
const NOW = new Date('2026-06-03T10:20:00Z');
const OPTIONS: GuardOptions = {
  region: REGION,
  act: true,
  recheckDeadlineMinutes: 120,
  flipFlop: { threshold: 3, windowMinutes: 60 },
};

function request(cluster: string, overrides: Partial<CheckRequest> = {}): CheckRequest {
  return {
    cluster,
    region: REGION,
    account: ACCOUNT,
    correlationId: 'evt-0001',
    attempt: 0,
    trigger: {
      source: 'event',
      eventId: 'evt-0001',
      eventName: 'UpdateClusterConfig',
      eventTime: '2026-06-03T10:17:03Z',
      actorArn: 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe',
    },
    ...overrides,
  };
}

const everyChannel = () => testConfig({ CHAT_TOPIC_ARN, SECURITY_HUB: 'true' });

function check(req: CheckRequest, config = everyChannel()): Promise<CheckResult> {
  return checkCluster(req, testPorts(NOW, config), OPTIONS);
}

function publishedTo(topicArn: string) {
  return mocks.sns.commandCalls(PublishCommand).filter((c) => c.args[0].input.TopicArn === topicArn);
}

function imported(): NonNullable<BatchImportFindingsCommandInput['Findings']> {
  return securityhub.commandCalls(BatchImportFindingsCommand).flatMap((c) => c.args[0].input.Findings ?? []);
}

function queuedBodies(): Record<string, unknown>[] {
  return mocks.sqs
    .commandCalls(SendMessageCommand)
    .map((c) => JSON.parse(c.args[0].input.MessageBody ?? '{}'));
}

/** Audit history as DynamoDB would return it for the cluster, newest first. */
function givenHistory(records: Partial<CheckResult>[]): void {
  mocks.dynamodb.on(QueryCommand).resolves({
    Items: records.map((r) => ({ pk: `${REGION}#${r.cluster}`, sk: `${r.time}#x`, ...r })),
  });
}

beforeEach(() => {
  resetAws();
  securityhub.reset();
  securityhub
    .on(BatchImportFindingsCommand)
    .resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
});

describe('alertLanguage "ja"', () => {
  it('renders the subject and the e-mail text in Japanese, the JSON form unchanged', async () => {
    // Prepare
    givenPolicy({ ...STRICT_POLICY, alertLanguage: 'ja' });
    givenCluster({ name: 'prod-api', publicAccess: true, privateAccess: true, cidrs: ['0.0.0.0/0'] });

    // Act
    await check(request('prod-api'), testConfig());

    // Assess
    const alert = lastAlert();
    expect(alert.subject).toMatch(/^\[eks-endpoint-guard\] prod-api/);
    expect(alert.subject).toMatch(/パブリック/);
    expect(alert.text).toMatch(/パブリックエンドポイントを無効にしました/);
    expect(alert.text).not.toMatch(/The guard changed/);
    expect(alert.json).toMatchObject({ schema: 'eks-endpoint-guard/alert@2', outcome: 'remediated' });
  });

  it('keeps English when the policy says nothing', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', publicAccess: true, privateAccess: true, cidrs: ['0.0.0.0/0'] });

    // Act
    await check(request('prod-api'), testConfig());

    // Assess
    expect(lastAlert().text).toMatch(/^The guard changed EKS cluster prod-api/);
  });
});

describe('the chat form', () => {
  it('goes to the chat topic as the custom-notification shape, threaded by cluster ARN', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', publicAccess: true, privateAccess: true, cidrs: ['0.0.0.0/0'] });

    // Act
    await check(request('prod-api'));

    // Assess
    const [chat] = publishedTo(CHAT_TOPIC_ARN);
    const input = chat?.args[0].input;
    expect(input?.MessageStructure).toBeUndefined();
    const notification = ChatNotificationSchema.parse(JSON.parse(input?.Message ?? '{}'));
    expect(notification.metadata.threadId).toBe(`arn:aws:eks:${REGION}:${ACCOUNT}:cluster/prod-api`);
    expect(input?.MessageAttributes?.severity?.StringValue).toBe('warning');
    expect(publishedTo(TOPIC_ARN)).toHaveLength(1);
  });

  it('is queued for a retry when the chat topic fails, and the e-mail still goes out', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', publicAccess: true, privateAccess: true, cidrs: ['0.0.0.0/0'] });
    mocks.sns.on(PublishCommand, { TopicArn: CHAT_TOPIC_ARN }).rejects(new Error('chat topic throttled'));

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result.alertMessageId).toBe('msg-0001');
    expect(lastAlert().subject).toMatch(/prod-api: public endpoint turned off/);
    const queued = queuedBodies().filter((b) => b.kind === DELIVERY_MESSAGE_KIND);
    expect(queued).toHaveLength(1);
    const delivery = deliveryOfMessage(queued[0]);
    expect(delivery).toMatchObject({ channel: 'chat' });
    expect(queued[0]).toMatchObject({ correlationId: 'evt-0001' });
    expect(imported()).toHaveLength(1);
  });

  it('is not sent when no chat topic is configured', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', publicAccess: true, privateAccess: true, cidrs: ['0.0.0.0/0'] });

    // Act
    await check(request('prod-api'), testConfig());

    // Assess
    expect(mocks.sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(securityhub.commandCalls(BatchImportFindingsCommand)).toHaveLength(0);
  });
});

describe('Security Hub findings', () => {
  it('are imported FAILED while the violation stands (notify mode)', async () => {
    // Prepare
    givenPolicy({ ...STRICT_POLICY, mode: 'notify' });
    givenCluster({ name: 'prod-api', publicAccess: true, privateAccess: true, cidrs: ['0.0.0.0/0'] });

    // Act
    await check(request('prod-api'));

    // Assess
    expect(imported()).toEqual([
      expect.objectContaining({
        Id: `eks-endpoint-guard/${ACCOUNT}/${REGION}/prod-api/public-disabled`,
        ProductArn: `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`,
        GeneratorId: 'eks-endpoint-guard/public-disabled',
        Compliance: { Status: 'FAILED' },
        RecordState: 'ACTIVE',
        Resources: [expect.objectContaining({ Type: 'AwsEksCluster' })],
      }),
    ]);
  });

  it('are re-imported PASSED and ARCHIVED when the cluster is remediated', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', publicAccess: true, privateAccess: true, cidrs: ['0.0.0.0/0'] });

    // Act
    await check(request('prod-api'));

    // Assess
    expect(imported()).toEqual([
      expect.objectContaining({ Compliance: { Status: 'PASSED' }, RecordState: 'ARCHIVED' }),
    ]);
  });

  it('carry the exemption reason and expiry when the cluster is exempt', async () => {
    // Prepare
    givenCluster({
      name: 'legacy-batch',
      publicAccess: true,
      privateAccess: true,
      cidrs: ['0.0.0.0/0'],
      tags: { 'eks-endpoint-guard/exempt': 'OPS-123 until 2026-12-31' },
    });

    // Act
    await check(request('legacy-batch'));

    // Assess
    const [finding] = imported();
    expect(finding?.Compliance).toEqual({ Status: 'FAILED' });
    expect(finding?.UserDefinedFields).toMatchObject({
      exemptionSource: 'tag',
      exemptionExpires: '2026-12-31',
    });
    expect(finding?.UserDefinedFields?.exemptionReason).toMatch(/OPS-123/);
  });

  it('are queued for a retry when Security Hub refuses them', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', publicAccess: true, privateAccess: true, cidrs: ['0.0.0.0/0'] });
    securityhub.on(BatchImportFindingsCommand).rejects(new Error('AccessDeniedException'));

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result.alertMessageId).toBe('msg-0001');
    const queued = queuedBodies().filter((b) => b.kind === DELIVERY_MESSAGE_KIND);
    expect(queued.map((b) => deliveryOfMessage(b))).toEqual([
      expect.objectContaining({ channel: 'security-hub' }),
    ]);
    expect(publishedTo(CHAT_TOPIC_ARN)).toHaveLength(1);
  });
});

describe('resolved alerts', () => {
  const blockedEarlier: Partial<CheckResult> = {
    cluster: 'prod-api',
    region: REGION,
    outcome: 'blocked',
    time: '2026-06-03T09:00:00.000Z',
    correlationId: 'evt-0000',
    alertMessageId: 'msg-0000',
    violations: [{ rule: 'public-disabled', reason: 'the public endpoint is on' }],
    trigger: { source: 'event' },
    attempt: 0,
  };

  it('are sent once when two checks find the cluster compliant at the same time', async () => {
    // Prepare
    givenVpcDns(true, true);
    givenCluster({ name: 'prod-api', publicAccess: false, privateAccess: true });
    givenHistory([blockedEarlier]);
    givenClaimTable();

    // Act
    const results = await Promise.all([
      check(request('prod-api', { correlationId: 'sweep-a/prod-api', trigger: { source: 'sweep' } })),
      check(request('prod-api', { correlationId: 'sweep-b/prod-api', trigger: { source: 'sweep' } })),
    ]);

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(['compliant', 'compliant']);
    expect(
      mocks.sns.commandCalls(PublishCommand).filter((c) => c.args[0].input.TopicArn === TOPIC_ARN),
    ).toHaveLength(1);
  });

  it('are not sent while the table cannot take their claim: the check fails and is retried', async () => {
    // Prepare: records go in, claims are throttled (the storm found a second resolved here)
    givenVpcDns(true, true);
    givenCluster({ name: 'prod-api', publicAccess: false, privateAccess: true });
    givenHistory([blockedEarlier]);
    givenClaimsThrottled();

    // Act
    const outcome = await check(request('prod-api', { trigger: { source: 'sweep' } })).catch(
      (error: Error) => error,
    );

    // Assess
    expect(outcome).toBeInstanceOf(Error);
    expect(
      mocks.sns.commandCalls(PublishCommand).filter((c) => c.args[0].input.TopicArn === TOPIC_ARN),
    ).toEqual([]);
  });

  it('are sent once when a cluster last alerted blocked is seen compliant, with the same dedupKey', async () => {
    // Prepare
    givenVpcDns(true, true);
    givenCluster({ name: 'prod-api', publicAccess: false, privateAccess: true });
    givenHistory([blockedEarlier]);

    // Act
    const result = await check(request('prod-api', { trigger: { source: 'sweep' } }));

    // Assess
    expect(result).toMatchObject({ outcome: 'compliant', alertMessageId: 'msg-0001' });
    const alert = lastAlert();
    expect(alert.attributes).toMatchObject({ status: 'resolved', severity: 'info' });
    expect(alert.json).toMatchObject({
      status: 'resolved',
      resolves: 'blocked',
      dedupKey: `eks-endpoint-guard/${ACCOUNT}/${REGION}/prod-api`,
    });
    expect(alert.subject).toBe('[eks-endpoint-guard] prod-api: compliant again, alert resolved');
    expect(alert.text).toMatch(/alert raised when it was blocked is resolved/);
    expect(schemaErrors(alert.json)).toEqual([]);
    expect(imported()).toEqual([
      expect.objectContaining({
        Id: `eks-endpoint-guard/${ACCOUNT}/${REGION}/prod-api/public-disabled`,
        Compliance: { Status: 'PASSED' },
        RecordState: 'ARCHIVED',
      }),
    ]);
    // The compliant record is written in full with its alert: the next sweep finds it and sends nothing.
    const written = mocks.dynamodb.commandCalls(PutCommand).map((c) => c.args[0].input.Item ?? {});
    expect(written).toContainEqual(
      expect.objectContaining({ outcome: 'compliant', alertMessageId: 'msg-0001' }),
    );
  });

  it('are not sent again by the next sweep', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', publicAccess: false, privateAccess: true });
    givenHistory([
      {
        ...blockedEarlier,
        outcome: 'compliant',
        time: '2026-06-03T10:00:00.000Z',
        correlationId: 'sweep-1',
        alertMessageId: 'msg-0001',
      },
      blockedEarlier,
    ]);

    // Act
    const result = await check(request('prod-api', { trigger: { source: 'sweep' } }));

    // Assess
    expect(result.alertMessageId).toBeUndefined();
    expect(mocks.sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('wait for the next check when the history cannot be read, and do not fail the decision', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', publicAccess: false, privateAccess: true });
    mocks.dynamodb.on(QueryCommand).rejects(new Error('ProvisionedThroughputExceededException'));

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result).toMatchObject({ outcome: 'compliant' });
    expect(result.alertMessageId).toBeUndefined();
    expect(mocks.sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('are not sent for a cluster whose last alert was a remediation', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', publicAccess: false, privateAccess: true });
    givenHistory([{ ...blockedEarlier, outcome: 'remediated' }]);

    // Act
    await check(request('prod-api', { trigger: { source: 'sweep' } }));

    // Assess
    expect(mocks.sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});
