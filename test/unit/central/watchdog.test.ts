import 'aws-sdk-client-mock-jest';
import {
  CloudFormationClient,
  ListStackInstancesCommand,
  type StackInstanceDetailedStatus,
  type StackInstanceSummary,
} from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { centralStore } from '../../../functions/aws/central-store';
import { watchdog } from '../../../functions/central/watchdog';

/**
 * Issue 19, finding 3: the watchdog knew only members that once sent a heartbeat. It now lists the
 * member StackSet's instances (ListStackInstances, faked at the SDK boundary: the emulator does not
 * implement CallAs) and alerts an account-region that never reported as well as one that stopped.
 */
const documents = mockClient(DynamoDBDocumentClient);
const cloudformation = mockClient(CloudFormationClient);
const store = centralStore(new DynamoDBClient({ region: 'eu-west-1' }), 'central');
const NOW = new Date('2026-12-01T10:00:00Z');

const heartbeat = (sk: string, lastSweepAt: string) => ({
  pk: 'member',
  sk,
  account: sk.slice(0, 12),
  region: sk.slice(13),
  lastSweepAt,
  sweepSchedule: 'rate(1 hour)',
  clusters: 1,
});
const instance = (
  Account: string,
  Region: string,
  DetailedStatus = 'SUCCEEDED',
  Status = 'CURRENT',
): StackInstanceSummary => ({
  Account,
  Region,
  Status: Status as StackInstanceSummary['Status'],
  StackInstanceStatus: { DetailedStatus: DetailedStatus as StackInstanceDetailedStatus },
  StackSetId: 'eks-endpoint-guard:abc',
});

function given(options: { heartbeats?: object[]; expected?: object[] } = {}) {
  documents
    .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'member' } })
    .resolves({ Items: options.heartbeats ?? [] });
  documents
    .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'expected' } })
    .resolves({ Items: options.expected ?? [] });
  documents.on(PutCommand).resolves({});
}

const watch = (lines: Record<string, unknown>[] = [], now = NOW) =>
  watchdog(store, {
    stackSet: {
      name: 'eks-endpoint-guard',
      client: new CloudFormationClient({ region: 'us-east-1' }),
      memberSchedule: 'rate(1 hour)',
      managementAccount: '999999999999',
    },
    now: () => now,
    log: (line) => lines.push(line),
  });

beforeEach(() => {
  documents.reset();
  cloudformation.reset();
});

describe('central watchdog', () => {
  test('lists every page of the StackSet as its delegated administrator and remembers when each instance was first listed', async () => {
    // Prepare
    given({
      expected: [
        {
          pk: 'expected',
          sk: '111122223333#us-east-1',
          account: '111122223333',
          region: 'us-east-1',
          status: 'CURRENT',
          firstListedAt: '2026-11-01T00:00:00.000Z',
          lastListedAt: '2026-12-01T09:00:00.000Z',
          expiresAt: 0,
        },
      ],
    });
    cloudformation
      .on(ListStackInstancesCommand)
      .resolvesOnce({ Summaries: [instance('111122223333', 'us-east-1')], NextToken: 'page-2' })
      .resolves({ Summaries: [instance('444455556666', 'eu-west-1', 'PENDING', 'OUTDATED')] });
    // Act
    const result = await watch()();
    // Assess
    expect(cloudformation).toHaveReceivedCommandWith(ListStackInstancesCommand, {
      StackSetName: 'eks-endpoint-guard',
      CallAs: 'DELEGATED_ADMIN',
    });
    expect(cloudformation).toHaveReceivedCommandTimes(ListStackInstancesCommand, 2);
    expect(result).toMatchObject({ expected: 2 });
    const written = documents.commandCalls(PutCommand).map((c) => c.args[0].input.Item);
    expect(written).toEqual([
      expect.objectContaining({
        sk: '111122223333#us-east-1',
        firstListedAt: '2026-11-01T00:00:00.000Z',
        lastListedAt: NOW.toISOString(),
      }),
      expect.objectContaining({
        sk: '444455556666#eu-west-1',
        firstListedAt: NOW.toISOString(),
        status: 'OUTDATED',
        detailedStatus: 'PENDING',
      }),
      { pk: 'expected', sk: 'management', account: '999999999999' },
    ]);
  });

  test('alerts an account-region that never reported two member periods after it was first listed, and one that stopped', async () => {
    // Prepare: a failed instance listed three hours ago, a stopped member, a healthy one, a suspended account
    given({
      heartbeats: [
        heartbeat('111122223333#us-east-1', '2026-12-01T09:30:00Z'),
        heartbeat('444455556666#us-east-1', '2026-12-01T01:00:00Z'),
      ],
      expected: [
        {
          pk: 'expected',
          sk: '777788889999#us-east-1',
          account: '777788889999',
          region: 'us-east-1',
          status: 'CURRENT',
          detailedStatus: 'FAILED',
          firstListedAt: '2026-12-01T07:00:00.000Z',
          lastListedAt: '',
          expiresAt: 0,
        },
      ],
    });
    cloudformation.on(ListStackInstancesCommand).resolves({
      Summaries: [
        instance('111122223333', 'us-east-1'),
        instance('444455556666', 'us-east-1'),
        instance('777788889999', 'us-east-1', 'FAILED'),
        instance('555566667777', 'us-east-1', 'SKIPPED_SUSPENDED_ACCOUNT'),
        instance('121212121212', 'eu-west-1'),
      ],
    });
    const lines: Record<string, unknown>[] = [];
    // Act
    const result = await watch(lines)();
    // Assess: 121212121212 was listed just now: it has two periods to report
    expect(result).toEqual({ members: 2, stale: 1, expected: 5, missing: 1 });
    expect(lines[0]).toMatchObject({
      StaleMembers: 1,
      MissingMembers: 1,
      stale: [expect.objectContaining({ account: '444455556666', region: 'us-east-1' })],
      missing: [
        {
          account: '777788889999',
          region: 'us-east-1',
          firstListedAt: '2026-12-01T07:00:00.000Z',
          status: 'FAILED',
          silentSeconds: 10_800,
        },
      ],
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'EksEndpointGuard/Central',
            Metrics: [{ Name: 'StaleMembers' }, { Name: 'MissingMembers' }],
          },
        ],
      },
    });
  });

  test('a listing that fails fails the run, so that the alarm on a silent watchdog fires', async () => {
    // Prepare
    given();
    cloudformation
      .on(ListStackInstancesCommand)
      .rejects(Object.assign(new Error('not a delegated administrator'), { name: 'ValidationError' }));
    // Act
    const run = watch()();
    // Assess
    await expect(run).rejects.toThrow('not a delegated administrator');
  });

  test('without a StackSet, counts only the members that stopped', async () => {
    // Prepare
    given({ heartbeats: [heartbeat('444455556666#eu-west-1', '2026-12-01T01:00:00Z')] });
    // Act
    const result = await watchdog(store, { now: () => NOW, log: () => undefined })();
    // Assess
    expect(result).toEqual({ members: 1, stale: 1, expected: 0, missing: 0 });
    expect(cloudformation).not.toHaveReceivedCommand(ListStackInstancesCommand);
  });
});
