import 'aws-sdk-client-mock-jest';
import {
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { digestReader, digestStore } from '../../../functions/aws/digest-store';
import { mocks, resetAws } from '../support/aws';

/**
 * The digest bucket at the SDK boundary, with the answers S3 documents for a bucket under Object
 * Lock: what the emulator does not enforce faithfully is proven here.
 */
const BUCKET = 'guard-digests';
const client = () => new S3Client({ region: 'us-east-1' });
/** A GetObject body, as the SDK gives it (a stream with transformToString). */
const body = (text: string) => ({ transformToString: async () => text });

beforeEach(() => resetAws());

describe('digest store: put', () => {
  it('puts a new key only (If-None-Match), with a checksum as Object Lock requires', async () => {
    // Act
    const stored = await digestStore(client(), BUCKET).put(
      'eks-endpoint-guard/digests/us-east-1/0000000001.json',
      '{}\n',
    );

    // Assess
    expect(stored).toBe('stored');
    expect(mocks.s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: 'eks-endpoint-guard/digests/us-east-1/0000000001.json',
      IfNoneMatch: '*',
      ChecksumAlgorithm: 'SHA256',
    });
    // No retention of its own: the bucket's default (compliance) applies, which needs no s3:PutObjectRetention.
    const input = mocks.s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(input?.ObjectLockMode).toBeUndefined();
  });

  it('says the key exists when S3 answers 412 Precondition Failed', async () => {
    // Prepare
    mocks.s3.on(PutObjectCommand).rejects(
      new S3ServiceException({
        name: 'PreconditionFailed',
        $fault: 'client',
        $metadata: { httpStatusCode: 412 },
      }),
    );

    // Act
    const stored = await digestStore(client(), BUCKET).put('k', 'x');

    // Assess
    expect(stored).toBe('exists');
  });

  it('lets an access denial through (the function may not write elsewhere)', async () => {
    // Prepare
    mocks.s3.on(PutObjectCommand).rejects(
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }),
    );

    // Act
    const put = digestStore(client(), BUCKET).put('k', 'x');

    // Assess
    await expect(put).rejects.toThrow(S3ServiceException);
  });
});

describe('digest store: every version', () => {
  it('lists versions and delete markers across pages and reads each version by its id', async () => {
    // Prepare: key 1 rewritten once (two versions), key 2 hidden by a delete marker
    const key1 = 'eks-endpoint-guard/digests/us-east-1/0000000001.json';
    const key2 = 'eks-endpoint-guard/digests/us-east-1/0000000002.json';
    mocks.s3
      .on(ListObjectVersionsCommand, { KeyMarker: undefined })
      .resolves({
        IsTruncated: true,
        NextKeyMarker: key1,
        NextVersionIdMarker: 'a1',
        Versions: [
          {
            Key: key1,
            VersionId: 'a2',
            IsLatest: true,
            LastModified: new Date('2026-11-03T02:00:00Z'),
            ETag: '"e2"',
          },
          {
            Key: key1,
            VersionId: 'a1',
            IsLatest: false,
            LastModified: new Date('2026-11-03T01:00:00Z'),
            ETag: '"e1"',
          },
        ],
      })
      .on(ListObjectVersionsCommand, { KeyMarker: key1, VersionIdMarker: 'a1' })
      .resolves({
        IsTruncated: false,
        Versions: [
          {
            Key: key2,
            VersionId: 'b1',
            IsLatest: false,
            LastModified: new Date('2026-11-03T03:00:00Z'),
            ETag: '"f1"',
          },
        ],
        DeleteMarkers: [
          { Key: key2, VersionId: 'm1', IsLatest: true, LastModified: new Date('2026-11-04T00:00:00Z') },
        ],
      });
    mocks.s3
      .on(GetObjectCommand)
      .callsFake((input: { VersionId?: string }) => ({ Body: body(`text of ${input.VersionId}`) }));

    // Act
    const versions = await digestReader(client(), BUCKET).versions(
      'eks-endpoint-guard/digests/us-east-1/',
      (v) => v.key === key1,
    );

    // Assess
    expect(versions.map((v) => [v.key.slice(-15), v.versionId, v.deleteMarker, v.etag, v.body])).toEqual([
      ['0000000001.json', 'a2', false, 'e2', 'text of a2'],
      ['0000000001.json', 'a1', false, 'e1', 'text of a1'],
      ['0000000002.json', 'b1', false, 'f1', undefined],
      ['0000000002.json', 'm1', true, undefined, undefined],
    ]);
    expect(mocks.s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: BUCKET,
      Key: key1,
      VersionId: 'a1',
    });
    expect(mocks.s3).toHaveReceivedCommandTimes(GetObjectCommand, 2);
  });
});
