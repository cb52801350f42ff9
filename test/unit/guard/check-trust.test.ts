import 'aws-sdk-client-mock-jest';
import { ListClustersCommand, UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetParameterCommand, GetParameterHistoryCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckResult } from '../../../functions/core/result';
import { GUARD_TOKEN_PREFIX } from '../../../functions/core/triggers/normalise';
import { processEvent } from '../../../functions/guard/process-event';
import {
  ACCOUNT,
  auditWrites,
  givenCluster,
  givenPolicy,
  lastAlert,
  loadEvent,
  mocks,
  processOptions,
  REGION,
  resetAws,
  STRICT_POLICY,
  testPorts,
} from '../support/aws';

// biome-ignore lint/suspicious/noExplicitAny: events are free-form JSON that tests reshape at will
type Json = Record<string, any>;

const NOW = new Date('2026-06-03T10:20:00Z');
const run = (event: unknown) => processEvent(event, testPorts(NOW), processOptions());
const ACTOR = 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe';
const TAG = 'eks-endpoint-guard/exempt';

/** Someone else's UpdateClusterConfig that carries the guard's token prefix. */
function impostorEvent(): Json {
  const event = loadEvent('update-config-open-world.json') as Json;
  event.detail.requestParameters.clientRequestToken = `${GUARD_TOKEN_PREFIX}0123456789abcdef0123456789abcdef01234567`;
  return event;
}

function tagEvent(eventName: 'TagResource' | 'UntagResource', cluster: string, params: Json): Json {
  const event = loadEvent('update-config-open-world.json') as Json;
  event.detail.eventName = eventName;
  event.detail.requestParameters = {
    resourceArn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${cluster}`,
    ...params,
  };
  delete event.detail.responseElements;
  return event;
}

/** Audit history as DynamoDB returns it for the cluster, newest first. */
function givenHistory(records: Partial<CheckResult>[]): void {
  mocks.dynamodb.on(QueryCommand).resolves({
    Items: records.map((r, i) => ({
      pk: `${REGION}#legacy-batch`,
      sk: `${r.time ?? `2026-06-03T09:0${i}:00Z`}#x`,
      cluster: 'legacy-batch',
      region: REGION,
      reason: 'earlier',
      correlationId: `c-${i}`,
      attempt: 0,
      trigger: { source: 'sweep' },
      time: `2026-06-03T09:0${9 - i}:00Z`,
      before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
      ...r,
    })),
  });
}

beforeEach(() => resetAws());

describe("another principal's change with the guard's token prefix", () => {
  it('is remediated and alerted on an ACTIVE cluster', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });

    // Act
    const { results } = await run(impostorEvent());

    // Assess
    expect(results).toEqual([expect.objectContaining({ outcome: 'remediated' })]);
    expect(results[0]?.trigger.byGuard).toBeUndefined();
    expect(mocks.eks).toHaveReceivedCommand(UpdateClusterConfigCommand);
    expect(lastAlert().attributes).toMatchObject({ outcome: 'remediated', cluster: 'prod-api' });
    expect(lastAlert().text).toContain(ACTOR);
  });

  it('is deferred on an UPDATING cluster, to be checked again', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', status: 'UPDATING' });

    // Act
    const { results } = await run(impostorEvent());

    // Assess
    expect(results).toEqual([expect.objectContaining({ outcome: 'deferred' })]);
    expect(mocks.sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    const queued = JSON.parse(
      mocks.sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody ?? '{}',
    );
    expect(queued.request.trigger.byGuard).toBeUndefined();
  });
});

describe('tag exemptions set by a tag event', () => {
  it('alerts as a warning naming who set the tag, and the record keeps that actor', async () => {
    // Prepare
    givenCluster({ name: 'legacy-batch', tags: { [TAG]: 'OPS-123 migration' } });

    // Act
    const { results } = await run(
      tagEvent('TagResource', 'legacy-batch', { tags: { [TAG]: 'OPS-123 migration' } }),
    );

    // Assess
    expect(results[0]).toMatchObject({
      outcome: 'exempt',
      trigger: { eventName: 'TagResource', actorArn: ACTOR },
    });
    expect(lastAlert().attributes).toMatchObject({ outcome: 'exempt', severity: 'warning' });
    expect(lastAlert().text).toContain(`Tags set (${TAG}) by ${ACTOR}`);
    expect(auditWrites()[0]).toMatchObject({
      trigger: { eventName: 'TagResource', actorArn: ACTOR, tagKeys: [TAG] },
    });
  });

  it('remediates when the tag has no expiry the policy requires, and says why', async () => {
    // Prepare
    givenPolicy({ ...STRICT_POLICY, requireTagExpiry: true });
    givenCluster({ name: 'legacy-batch', tags: { [TAG]: 'OPS-123' } });

    // Act
    const { results } = await run(tagEvent('TagResource', 'legacy-batch', { tags: { [TAG]: 'OPS-123' } }));

    // Assess
    expect(results[0]).toMatchObject({
      outcome: 'remediated',
      rejectedTag: { tag: TAG, value: 'OPS-123', why: expect.stringMatching(/requires an expiry/) },
    });
    expect(lastAlert().text).toContain('Exemption tag not accepted');
    expect(lastAlert().text).toContain('the policy requires an expiry in the tag value');
  });

  it('does not exempt at all when the policy turns tag exemptions off', async () => {
    // Prepare
    givenPolicy({ ...STRICT_POLICY, exemptionTag: null });
    givenCluster({ name: 'legacy-batch', tags: { [TAG]: 'OPS-123' } });

    // Act
    const { results } = await run(tagEvent('TagResource', 'legacy-batch', { tags: { [TAG]: 'OPS-123' } }));

    // Assess
    expect(results[0]?.outcome).toBe('remediated');
    expect(lastAlert().text).toContain('the policy turns tag exemptions off');
  });

  it('counts maxTagExemptionDays from the first sighting in the audit trail', async () => {
    // Prepare
    givenPolicy({ ...STRICT_POLICY, maxTagExemptionDays: 7 });
    givenCluster({ name: 'legacy-batch', tags: { [TAG]: 'OPS-1 until 2027-01-01' } });
    givenHistory([
      {
        outcome: 'exempt',
        alertMessageId: 'm-0',
        exemption: {
          source: 'tag',
          reason: 'OPS-1',
          expires: '2026-05-27T00:00:00Z',
          since: '2026-05-20T00:00:00.000Z',
        },
      },
    ]);

    // Act
    const { results } = await run(tagEvent('TagResource', 'legacy-batch', { tags: { [TAG]: 'x' } }));

    // Assess
    expect(results[0]).toMatchObject({
      outcome: 'remediated',
      rejectedTag: { why: "the tag exemption reached the policy's limit of 7 days on 2026-05-27T00:00:00Z" },
    });
  });
});

describe('exemption alerts follow the last alerted decision', () => {
  const exempt = (reason: string, expires?: string): Partial<CheckResult> => ({
    outcome: 'exempt',
    exemption: { source: 'policy', reason, ...(expires && { expires }) },
    violations: [{ rule: 'public-disabled', reason: 'public endpoint is on' }],
  });
  const policy = (reason: string, expires?: string) => ({
    ...STRICT_POLICY,
    exemptions: [{ cluster: 'legacy-*', reason, ...(expires && { expires }) }],
  });
  const sweepOne = () => run(tagEvent('TagResource', 'legacy-batch', { tags: { team: 'a' } }));

  beforeEach(() => givenCluster({ name: 'legacy-batch' }));

  it.each([
    ['its reason', policy('OPS-2'), exempt('OPS-1')],
    ['its expiry', policy('OPS-1', '2026-12-31'), exempt('OPS-1', '2026-09-30')],
  ])('alerts again when %s changes', async (_case, current, previous) => {
    // Prepare
    givenPolicy(current);
    const { results: [first] = [] } = await sweepOne();
    mocks.sns.resetHistory();
    givenHistory([{ ...previous, policy: first?.policy, alertMessageId: 'm-0' }]);

    // Act
    await sweepOne();

    // Assess
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('stays quiet for the same exemption, with deferred and ignored records in between', async () => {
    // Prepare
    givenPolicy(policy('OPS-1'));
    const { results: [first] = [] } = await sweepOne();
    mocks.sns.resetHistory();
    givenHistory([
      { outcome: 'deferred', policy: first?.policy },
      { outcome: 'ignored', policy: first?.policy },
      { ...exempt('OPS-1'), policy: first?.policy },
      { ...exempt('OPS-1'), policy: first?.policy, alertMessageId: 'm-0' },
    ]);

    // Act
    await sweepOne();

    // Assess
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('alerts when the last alerted decision is older than a changed, unalerted one', async () => {
    // Prepare
    givenPolicy(policy('OPS-1'));
    const { results: [first] = [] } = await sweepOne();
    mocks.sns.resetHistory();
    givenHistory([
      { ...exempt('OPS-1'), policy: first?.policy, outcome: 'deferred' },
      { ...exempt('OPS-0'), policy: first?.policy, alertMessageId: 'm-0' },
    ]);

    // Act
    await sweepOne();

    // Assess
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });
});

describe('forged messages on the recheck queue', () => {
  it('records and alerts a forged alert as failed, never publishing it', async () => {
    // Prepare
    const body = JSON.stringify({
      kind: 'eks-endpoint-guard/alert',
      version: 1,
      correlationId: 'evt-1',
      alert: {
        subject: '[eks-endpoint-guard] prod-api: all clear',
        text: 'Nothing to see.',
        json: { schema: 'eks-endpoint-guard/alert@1' },
        attributes: { outcome: 'compliant', cluster: 'prod-api', severity: 'info' },
      },
    });
    const event = {
      Records: [
        {
          messageId: 'm-9',
          eventSource: 'aws:sqs',
          body,
          receiptHandle: 'AQEBtest-handle',
          attributes: { SenderId: 'AIDAEXAMPLEINTRUDER' },
        },
      ],
    };

    // Act
    const { results } = await run(event);

    // Assess
    expect(results[0]).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('sender AIDAEXAMPLEINTRUDER'),
    });
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(lastAlert().subject).not.toContain('all clear');
    expect(lastAlert().attributes.outcome).toBe('failed');
    expect(auditWrites()[0]).toMatchObject({ outcome: 'failed' });
  });

  it('treats a forged follow-up as an ordinary check, which decides afresh', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    const event = loadEvent('recheck-message.json') as Json;
    const message = JSON.parse(event.Records[0].body);
    message.request.trigger.byGuard = true;
    message.request.deadline = '2099-01-01T00:00:00.000Z';
    message.request.followUpdate = {
      updateId: 'upd-forged',
      issuedAt: '2026-06-03T10:00:00.000Z',
      before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
      after: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
    };
    event.Records[0].body = JSON.stringify(message);
    event.Records[0].attributes.SenderId = 'AIDAEXAMPLEINTRUDER';

    // Act
    const { results } = await run(event);

    // Assess
    expect(results[0]).toMatchObject({ outcome: 'remediated', deadline: '2026-06-03T12:20:00.000Z' });
    expect(results[0]?.updateId).toBe('upd-0001');
  });
});

describe('policy parameter changes', () => {
  const putEvent = (): Json => {
    const event = loadEvent('update-config-open-world.json') as Json;
    event.source = 'aws.ssm';
    event.detail.eventSource = 'ssm.amazonaws.com';
    event.detail.eventName = 'PutParameter';
    event.detail.requestParameters = { name: '/eks-endpoint-guard/policy', type: 'String', overwrite: true };
    delete event.detail.responseElements;
    return event;
  };
  const givenHistoryOf = (...values: unknown[]) =>
    mocks.ssm.on(GetParameterHistoryCommand).resolves({
      Parameters: values.map((value, i) => ({
        Name: '/eks-endpoint-guard/policy',
        Version: i + 1,
        Value: typeof value === 'string' ? value : JSON.stringify(value),
        LastModifiedUser: ACTOR,
        LastModifiedDate: new Date(`2026-06-0${i + 1}T00:00:00Z`),
      })),
    });

  it('alerts critical with a before → after summary, records it, and sweeps under the new policy', async () => {
    // Prepare
    const weaker = {
      ...STRICT_POLICY,
      mode: 'notify',
      exemptions: [{ cluster: 'legacy-*', reason: 'OPS-9' }],
    };
    givenHistoryOf(STRICT_POLICY, weaker);
    givenPolicy(weaker);
    mocks.eks.on(ListClustersCommand).resolves({ clusters: ['prod-api'] });
    givenCluster({ name: 'prod-api' });

    // Act
    const { results } = await run(putEvent());

    // Assess
    expect(results[0]).toMatchObject({
      cluster: '-',
      policyChange: {
        eventName: 'PutParameter',
        version: 2,
        previousVersion: 1,
        changes: ['mode: enforce → notify', 'exemptions: added "legacy-*" (OPS-9, no end date)'],
      },
      trigger: { actorArn: ACTOR },
    });
    expect(results.slice(1)).toEqual([
      expect.objectContaining({ cluster: 'prod-api', outcome: 'would-remediate' }),
    ]);
    const alert = mocks.sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(alert?.Subject).toBe(
      '[eks-endpoint-guard] policy /eks-endpoint-guard/policy weakened by assumed-role/PlatformAdmin/jdoe…',
    );
    expect(alert?.MessageAttributes?.severity?.StringValue).toBe('critical');
    expect(JSON.parse(alert?.Message ?? '{}').default).toContain(
      '  - mode: enforce → notify  [weakens enforcement]',
    );
    expect(auditWrites()[0]).toMatchObject({ cluster: '-', policyChange: { version: 2 } });
    // Machines read the same change from the alert@2 JSON.
    expect(JSON.parse(JSON.parse(alert?.Message ?? '{}').sqs)).toMatchObject({
      schema: 'eks-endpoint-guard/alert@2',
      policyChange: {
        version: 2,
        previousVersion: 1,
        weaker: expect.arrayContaining(['mode: enforce → notify']),
      },
    });
    expect(mocks.ssm).toHaveReceivedCommandWith(GetParameterHistoryCommand, { WithDecryption: false });
    expect(mocks.ssm).toHaveReceivedCommand(GetParameterCommand);
  });

  it('alerts a policy that no longer parses as failed with the exact fault, and sweeps nothing', async () => {
    // Prepare
    givenHistoryOf(STRICT_POLICY, { ...STRICT_POLICY, mode: 'sometimes' });

    // Act
    const { results } = await run(putEvent());

    // Assess
    expect(results).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        reason: `policy /eks-endpoint-guard/policy: mode: must be one of "enforce", "notify", got "sometimes"; changed by ${ACTOR}; nothing changed`,
      }),
    ]);
    expect(mocks.eks).not.toHaveReceivedCommand(ListClustersCommand);
    expect(lastAlert().attributes.severity).toBe('critical');
  });

  it('alerts a deleted policy parameter as failed and critical', async () => {
    // Prepare
    mocks.ssm.on(GetParameterHistoryCommand).rejects(new ParameterNotFound({ message: 'x', $metadata: {} }));
    const event = putEvent();
    event.detail.eventName = 'DeleteParameter';

    // Act
    const { results } = await run(event);

    // Assess
    expect(results[0]).toMatchObject({
      outcome: 'failed',
      policyChange: { changes: ['the policy parameter was deleted'] },
    });
    expect(lastAlert().subject).toBe(
      '[eks-endpoint-guard] policy /eks-endpoint-guard/policy deleted by assumed-role/PlatformAdmin/jdoe',
    );
  });

  it('warns for a stricter change', async () => {
    // Prepare
    const loose = { version: 1, publicAccess: 'allowed', privateAccess: 'optional' };
    givenHistoryOf(loose, STRICT_POLICY);

    // Act
    await run(putEvent());

    // Assess
    const alert = mocks.sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(alert?.MessageAttributes?.severity?.StringValue).toBe('warning');
  });

  it('records a label move as unchanged policy, warns, and sweeps nothing', async () => {
    // Prepare
    givenHistoryOf(STRICT_POLICY);
    const event = putEvent();
    event.detail.eventName = 'LabelParameterVersion';

    // Act
    const { results } = await run(event);

    // Assess
    expect(results).toEqual([
      expect.objectContaining({
        outcome: 'ignored',
        policyChange: expect.objectContaining({ version: 1, weaker: [] }),
      }),
    ]);
    expect(mocks.eks).not.toHaveReceivedCommand(ListClustersCommand);
    expect(lastAlert().attributes.severity).toBe('warning');
  });

  it('changes, records and alerts nothing in a report-only run, but still reports', async () => {
    // Prepare
    givenHistoryOf(STRICT_POLICY, { ...STRICT_POLICY, mode: 'notify' });

    // Act
    const { results } = await processEvent(putEvent(), testPorts(NOW), processOptions(undefined, false));

    // Assess
    expect(results[0]).toMatchObject({ policyChange: { changes: ['mode: enforce → notify'] } });
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
    expect(auditWrites()).toEqual([]);
  });

  it('runs the sweep again, without a second record or alert, when the event is retried', async () => {
    // Prepare: the first attempt recorded and alerted the change, then its sweep failed.
    givenHistoryOf(STRICT_POLICY, { ...STRICT_POLICY, mode: 'notify' });
    givenPolicy({ ...STRICT_POLICY, mode: 'notify' });
    mocks.eks.on(ListClustersCommand).resolves({ clusters: ['prod-api'] });
    givenCluster({ name: 'prod-api' });
    const event = putEvent();
    const first = await run(event);
    const recorded = auditWrites()[0];
    resetAws();
    givenPolicy({ ...STRICT_POLICY, mode: 'notify' });
    mocks.eks.on(ListClustersCommand).resolves({ clusters: ['prod-api'] });
    givenCluster({ name: 'prod-api' });
    // The audit table holds the first attempt's record of the change (cluster `-`), and nothing else.
    mocks.dynamodb
      .on(QueryCommand)
      .callsFake((input: { ExpressionAttributeValues?: Record<string, unknown> }) => ({
        Items: input.ExpressionAttributeValues?.[':pk'] === 'us-east-1#-' ? [{ ...recorded }] : [],
      }));

    // Act
    const retry = await run(event);

    // Assess
    expect(first.results[0]).toMatchObject({ cluster: '-', policyChange: { version: 2 } });
    expect(retry.results[0]).toMatchObject({
      cluster: '-',
      time: first.results[0]?.time,
      policyChange: { version: 2 },
    });
    expect(retry.results.slice(1)).toEqual([
      expect.objectContaining({ cluster: 'prod-api', outcome: 'would-remediate' }),
    ]);
    expect(auditWrites().filter((w) => w.cluster === '-')).toEqual([]);
    expect(mocks.ssm).not.toHaveReceivedCommand(GetParameterHistoryCommand);
    const alerts = mocks.sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject ?? '');
    expect(alerts.filter((subject) => subject.includes('policy'))).toEqual([]);
  });
});
