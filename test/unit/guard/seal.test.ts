import 'aws-sdk-client-mock-jest';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditSeal } from '../../../functions/aws/audit-seal';
import { auditItem } from '../../../functions/aws/audit-store';
import { createAwsClients } from '../../../functions/aws/clients';
import { digestReader, digestStore } from '../../../functions/aws/digest-store';
import { type DigestHead, digestHash, digestKey, SETTLE_SECONDS } from '../../../functions/core/seal/digest';
import {
  DigestKeyTakenError,
  DigestRaceError,
  sealRecords,
  verifyRecords,
} from '../../../functions/guard/seal';
import type { SealPorts } from '../../../functions/seal-ports';
import { history } from '../core/report/history';
import { mocks, REGION, resetAws } from '../support/aws';

/** Sealing and verifying with DynamoDB and S3 faked at the SDK boundary. */
const TABLE = 'eks-endpoint-guard-audit';
const BUCKET = 'guard-digests';
const NOW = new Date('2026-11-03T12:00:00Z');

function ports(): SealPorts {
  const clients = createAwsClients(REGION);
  return {
    source: auditSeal(clients.dynamodb, TABLE, REGION),
    store: digestStore(clients.s3, BUCKET),
    region: REGION,
    account: '111122223333',
  };
}

const records = history([
  [{ kind: 'compliant' }, '2026-11-03T10:00:00Z'],
  [{ kind: 'blocked' }, '2026-11-03T11:00:00Z'],
]).map((r) => auditItem(r, 0));

function givenHead(head: (DigestHead & { revision: number }) | undefined): void {
  mocks.dynamodb
    .on(QueryCommand, { ExpressionAttributeValues: { ':pk': `#digest#${REGION}`, ':sk': 'head' } })
    .resolves({ Items: head ? [{ pk: `#digest#${REGION}`, sk: 'head', kind: 'digest-head', ...head }] : [] });
}

beforeEach(() => {
  resetAws();
  mocks.dynamodb
    .on(QueryCommand, { IndexName: 'byDay', ExpressionAttributeValues: { ':day': '2026-11-03' } })
    .resolves({ Items: records });
  givenHead(undefined);
});

const headWrites = () =>
  mocks.dynamodb
    .commandCalls(PutCommand)
    .map((c) => c.args[0].input)
    .filter((i) => (i.Item as { sk?: string }).sk === 'head');

describe('sealRecords', () => {
  it('claims the first sequence number, stores the digest of the settled records, then moves the head', async () => {
    // Act
    const outcome = await sealRecords(ports(), NOW);

    // Assess
    const key = digestKey(REGION, 1);
    const put = mocks.s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put).toMatchObject({ Bucket: BUCKET, Key: key, IfNoneMatch: '*' });
    const digest = JSON.parse(String(put?.Body));
    expect(digest).toMatchObject({
      sequence: 1,
      previous: null,
      account: '111122223333',
      table: TABLE,
      to: new Date(NOW.getTime() - SETTLE_SECONDS * 1000).toISOString(),
    });
    expect(digest.records.map((r: { cluster: string; time: string }) => [r.cluster, r.time])).toEqual([
      ['prod-api', '2026-11-03T10:00:00.000Z'],
      ['prod-api', '2026-11-03T11:00:00.000Z'],
    ]);
    const [claim, moved] = headWrites();
    expect(claim).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pending: { sequence: 1 }, revision: 1 },
    });
    expect(moved).toMatchObject({
      ConditionExpression: 'revision = :revision',
      ExpressionAttributeValues: { ':revision': 1 },
      Item: { sequence: 1, key, hash: digestHash(String(put?.Body)), revision: 2 },
    });
    expect(moved?.Item).not.toHaveProperty('pending');
    expect(outcome.digests).toEqual([expect.objectContaining({ key, records: 2 })]);
  });

  it('seals nothing while the records since the head have not settled', async () => {
    // Prepare
    givenHead({
      sequence: 4,
      key: digestKey(REGION, 4),
      hash: `sha256:${'a'.repeat(64)}`,
      to: '2026-11-03T11:50:00.000Z',
      revision: 8,
    });

    // Act
    const outcome = await sealRecords(ports(), NOW);

    // Assess
    expect(outcome.digests).toEqual([]);
    expect(outcome.head?.sequence).toBe(4);
    expect(mocks.s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('stops when another run moved the head first, before storing anything', async () => {
    // Prepare
    mocks.dynamodb
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'condition', $metadata: {} }));

    // Act
    const run = sealRecords(ports(), NOW);

    // Assess
    await expect(run).rejects.toBeInstanceOf(DigestRaceError);
    expect(mocks.s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('finishes a digest an earlier run left pending, taking an existing key as its own', async () => {
    // Prepare: the earlier run claimed digest 5 and may have stored it before it died
    const pending = {
      region: REGION,
      table: TABLE,
      sequence: 5,
      from: '2026-11-03T09:00:00.000Z',
      to: '2026-11-03T10:30:00.000Z',
      sealedAt: '2026-11-03T10:45:00.000Z',
      previous: { sequence: 4, key: digestKey(REGION, 4), hash: `sha256:${'b'.repeat(64)}` },
    };
    givenHead({
      sequence: 4,
      key: digestKey(REGION, 4),
      hash: `sha256:${'b'.repeat(64)}`,
      to: pending.from,
      pending,
      revision: 9,
    });
    mocks.s3.on(PutObjectCommand, { Key: digestKey(REGION, 5) }).rejects(
      new S3ServiceException({
        name: 'PreconditionFailed',
        $fault: 'client',
        $metadata: { httpStatusCode: 412 },
      }),
    );

    // Act
    const outcome = await sealRecords(ports(), NOW);

    // Assess: 5 finished from the plan, then 6 from 10:30 on
    expect(outcome.digests.map((d) => [d.sequence, d.from, d.records])).toEqual([
      [5, '2026-11-03T09:00:00.000Z', 1],
      [6, '2026-11-03T10:30:00.000Z', 1],
    ]);
    const six = JSON.parse(String(mocks.s3.commandCalls(PutObjectCommand)[1]?.args[0].input.Body));
    expect(six.previous.sequence).toBe(5);
  });

  it('refuses to chain on a key someone else wrote first', async () => {
    // Prepare
    mocks.s3.on(PutObjectCommand).rejects(
      new S3ServiceException({
        name: 'PreconditionFailed',
        $fault: 'client',
        $metadata: { httpStatusCode: 412 },
      }),
    );

    // Act
    const run = sealRecords(ports(), NOW);

    // Assess: the claim stays pending, so the next run stores it again and verify compares the bytes
    await expect(run).rejects.toBeInstanceOf(DigestKeyTakenError);
    expect(headWrites()).toHaveLength(1);
  });
});

describe('verifyRecords against a bucket under Object Lock', () => {
  it('reads the first, locked version of a rewritten digest and reports the fork and the delete marker', async () => {
    // Prepare: the first digest as sealed, then a second version and a delete marker under its key,
    // as ListObjectVersions reports them for a locked bucket (the first version cannot be removed).
    await sealRecords(ports(), NOW);
    const sealedText = String(mocks.s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Body);
    const forged = sealedText.replace('#blocked', '#compliant');
    const key = digestKey(REGION, 1);
    mocks.s3.on(ListObjectVersionsCommand).resolves({
      Versions: [
        {
          Key: key,
          VersionId: 'v2',
          IsLatest: false,
          LastModified: new Date('2026-11-03T13:00:00Z'),
          ETag: '"e2"',
        },
        {
          Key: key,
          VersionId: 'v1',
          IsLatest: false,
          LastModified: new Date('2026-11-03T12:00:00Z'),
          ETag: '"e1"',
        },
      ],
      DeleteMarkers: [
        { Key: key, VersionId: 'm', IsLatest: true, LastModified: new Date('2026-11-03T14:00:00Z') },
      ],
    });
    mocks.s3
      .on(GetObjectCommand, { VersionId: 'v1' })
      .resolves({ Body: { transformToString: async () => sealedText } } as never)
      .on(GetObjectCommand, { VersionId: 'v2' })
      .resolves({ Body: { transformToString: async () => forged } } as never);
    const clients = createAwsClients(REGION);

    // Act
    const result = await verifyRecords(
      digestReader(clients.s3, BUCKET),
      auditSeal(clients.dynamodb, TABLE, REGION),
      REGION,
      NOW,
    );

    // Assess: the records still match the first version; the bucket's history is reported
    expect(result.findings.map((f) => f.kind).sort()).toEqual(['digest-deleted', 'digest-fork']);
    expect(result.sealedRecords).toBe(2);
  });
});
