import 'aws-sdk-client-mock-jest';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DescribeUpdateCommand,
  ListUpdatesCommand,
  UpdateClusterConfigCommand,
  type UpdateParam,
} from '@aws-sdk/client-eks';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckRequest } from '../../../functions/core/check-request';
import type { QueuedDecision } from '../../../functions/core/decision-message';
import { checkCluster } from '../../../functions/guard/check';
import { INTENT_DELAY_SECONDS, recoverIntent, setsTarget } from '../../../functions/guard/intent';
import type { GuardOptions } from '../../../functions/guard/options';
import {
  ACCOUNT,
  auditWrites,
  claimsTaken,
  givenClaimTable,
  givenCluster,
  mocks,
  queuedBodies,
  queuedIntents,
  REGION,
  resetAws,
  testPorts,
} from '../support/aws';

const DECIDED = new Date('2026-06-03T10:20:00Z');
const LATER = new Date('2026-06-03T10:30:00Z');
const OPTIONS: GuardOptions = {
  region: REGION,
  act: true,
  recheckDeadlineMinutes: 120,
  flipFlop: { threshold: 3, windowMinutes: 60 },
};
const REQUEST: CheckRequest = {
  cluster: 'prod-api',
  region: REGION,
  account: ACCOUNT,
  correlationId: 'evt-0001',
  attempt: 0,
  trigger: { source: 'event', eventId: 'evt-0001', eventName: 'UpdateClusterConfig' },
};
const TARGET_PARAMS = [
  { type: 'EndpointPublicAccess', value: 'false' },
  { type: 'EndpointPrivateAccess', value: 'true' },
];

/** The record of intent a remediation queued before its update, as the queue hands it back. */
async function intentOfRemediation(): Promise<QueuedDecision> {
  givenCluster({ name: 'prod-api', publicAccess: true, privateAccess: false });
  await checkCluster(REQUEST, testPorts(DECIDED), OPTIONS);
  const [intent] = queuedIntents();
  resetAws();
  return intent?.decision as QueuedDecision;
}

function givenUpdates(
  updates: { id: string; createdAt: string; params: { type: string; value: string }[] }[],
): void {
  mocks.eks.on(ListUpdatesCommand).resolves({ updateIds: updates.map((u) => u.id) });
  for (const u of updates) {
    mocks.eks.on(DescribeUpdateCommand, { updateId: u.id }).resolves({
      update: {
        id: u.id,
        status: 'InProgress',
        createdAt: new Date(u.createdAt),
        params: u.params as UpdateParam[],
      },
    });
  }
}

beforeEach(() => resetAws());

describe('the record of intent of a remediation', () => {
  it('is queued, delayed past the function timeout, before EKS is asked for the update', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', publicAccess: true, privateAccess: false });

    // Act
    await checkCluster(REQUEST, testPorts(DECIDED), OPTIONS);

    // Assess
    const [intentCall] = mocks.sqs.commandCalls(SendMessageCommand);
    const [updateCall] = mocks.eks.commandCalls(UpdateClusterConfigCommand);
    expect(intentCall?.args[0].input.DelaySeconds).toBe(INTENT_DELAY_SECONDS);
    expect(JSON.parse(intentCall?.args[0].input.MessageBody ?? '{}').decision).toMatchObject({
      pending: true,
      notify: true,
      result: { outcome: 'remediated', cluster: 'prod-api', time: DECIDED.toISOString() },
    });
    expect(updateCall && intentCall?.calledBefore(updateCall as never)).toBe(true);
  });
});

describe('recovering a remediation from its record of intent', () => {
  it('does nothing when its own attempt recorded it', async () => {
    // Prepare
    const intent = await intentOfRemediation();
    mocks.dynamodb
      .on(QueryCommand)
      .resolves({ Items: [{ ...intent.result, pk: 'x', sk: 'y', updateId: 'upd-1' }] });

    // Act
    const result = await recoverIntent(intent, testPorts(LATER), OPTIONS);

    // Assess
    expect(result).toMatchObject({
      outcome: 'ignored',
      reason: expect.stringMatching(/recorded by its own attempt/),
    });
    expect(mocks.eks).not.toHaveReceivedAnyCommand();
    expect(auditWrites()).toEqual([]);
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('records, alerts and follows the update its attempt made before it stopped', async () => {
    // Prepare
    const intent = await intentOfRemediation();
    givenUpdates([
      { id: 'upd-old', createdAt: '2026-06-03T09:00:00Z', params: TARGET_PARAMS },
      { id: 'upd-made', createdAt: '2026-06-03T10:20:01Z', params: TARGET_PARAMS },
    ]);

    // Act
    const result = await recoverIntent(intent, testPorts(LATER), OPTIONS);

    // Assess
    expect(result).toMatchObject({ outcome: 'remediated', updateId: 'upd-made' });
    expect(auditWrites()).toEqual([
      expect.objectContaining({
        outcome: 'remediated',
        updateId: 'upd-made',
        time: DECIDED.toISOString(),
        violations: intent.result.violations,
        reason: expect.stringMatching(/recorded after its attempt stopped/),
      }),
    ]);
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(new Set(claimsTaken())).toEqual(new Set(['update/us-east-1/prod-api/upd-made']));
    expect(
      queuedBodies().map(
        (b) => (b.request as { followUpdate?: { updateId: string } }).followUpdate?.updateId,
      ),
    ).toEqual(['upd-made']);
  });

  it("does nothing when EKS has no update with the decision's target since it was made", async () => {
    // Prepare
    const intent = await intentOfRemediation();
    givenUpdates([
      { id: 'upd-old', createdAt: '2026-06-03T09:00:00Z', params: TARGET_PARAMS },
      {
        id: 'upd-other',
        createdAt: '2026-06-03T10:21:00Z',
        params: [
          { type: 'EndpointPublicAccess', value: 'true' },
          { type: 'EndpointPrivateAccess', value: 'true' },
        ],
      },
    ]);

    // Act
    const result = await recoverIntent(intent, testPorts(LATER), OPTIONS);

    // Assess
    expect(result).toMatchObject({
      outcome: 'ignored',
      reason: expect.stringMatching(/stopped before the update/),
    });
    expect(auditWrites()).toEqual([]);
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('records nothing when another delivery of the same event claimed the update', async () => {
    // Prepare
    const intent = await intentOfRemediation();
    givenUpdates([{ id: 'upd-made', createdAt: '2026-06-03T10:20:01Z', params: TARGET_PARAMS }]);
    mocks.dynamodb
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );

    // Act
    const result = await recoverIntent(intent, testPorts(LATER), OPTIONS);

    // Assess
    expect(result).toMatchObject({
      outcome: 'ignored',
      reason: expect.stringMatching(/recorded by the decision that claimed it/),
    });
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
    expect(mocks.dynamodb).toHaveReceivedCommandTimes(PutCommand, 1);
  });

  it("takes the next update with its target when the oldest one is another decision's", async () => {
    // Prepare: a decision just before this one made the same change, and recorded it.
    const intent = await intentOfRemediation();
    givenUpdates([
      { id: 'upd-theirs', createdAt: '2026-06-03T10:19:59Z', params: TARGET_PARAMS },
      { id: 'upd-mine', createdAt: '2026-06-03T10:20:02Z', params: TARGET_PARAMS },
    ]);
    givenClaimTable().set(
      '#claim#us-east-1 update/us-east-1/prod-api/upd-theirs',
      'evt-0000@2026-06-03T10:19:58.000Z',
    );

    // Act
    const result = await recoverIntent(intent, testPorts(LATER), OPTIONS);

    // Assess
    expect(result).toMatchObject({ outcome: 'remediated', updateId: 'upd-mine' });
    expect(auditWrites().filter((w) => w.outcome === 'remediated')).toEqual([
      expect.objectContaining({ updateId: 'upd-mine' }),
    ]);
  });

  it('never takes an update made before the decision', async () => {
    // Prepare
    const intent = await intentOfRemediation();
    givenUpdates([{ id: 'upd-before', createdAt: '2026-06-03T10:19:50Z', params: TARGET_PARAMS }]);

    // Act
    const result = await recoverIntent(intent, testPorts(LATER), OPTIONS);

    // Assess
    expect(result).toMatchObject({
      outcome: 'ignored',
      reason: expect.stringMatching(/stopped before the update/),
    });
  });

  it('leaves an intent for another region alone', async () => {
    // Prepare
    const intent = await intentOfRemediation();

    // Act
    const result = await recoverIntent(intent, testPorts(LATER), { ...OPTIONS, region: 'eu-west-1' });

    // Assess
    expect(result.outcome).toBe('ignored');
    expect(mocks.dynamodb).not.toHaveReceivedAnyCommand();
  });
});

describe('setsTarget', () => {
  const target = { publicAccess: true, privateAccess: true, publicAccessCidrs: ['203.0.113.0/24'] };

  it.each([
    ["EKS's JSON list", [{ type: 'PublicAccessCidrs', value: '["203.0.113.0/24"]' }], true],
    ['a list separated by commas', [{ type: 'publicaccesscidrs', value: '203.0.113.0/24' }], true],
    ['other networks', [{ type: 'PublicAccessCidrs', value: '["0.0.0.0/0"]' }], false],
  ])('compares the networks given as %s', (_what, cidrs, expected) => {
    // Prepare
    const params = [
      { type: 'endpointPublicAccess', value: 'TRUE' },
      { type: 'EndpointPrivateAccess', value: 'true' },
      ...cidrs,
    ];

    // Act
    const sets = setsTarget({ status: 'InProgress', errors: [], params }, target);

    // Assess
    expect(sets).toBe(expected);
  });

  it('never matches an update that does not name both endpoint settings', () => {
    // Act
    const sets = setsTarget(
      { status: 'InProgress', errors: [], params: [{ type: 'EndpointPublicAccess', value: 'true' }] },
      target,
    );

    // Assess
    expect(sets).toBe(false);
  });
});
