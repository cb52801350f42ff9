import type { S3Client } from '@aws-sdk/client-s3';
import type { DigestVersion } from '../core/seal/verify';
import type { DigestReaderPort, DigestStorePort } from '../seal-ports';
import { type ClientSource, resolveClient, sdk } from './clients';
import { awsErrorName } from './errors';

/**
 * The digest bucket: versioned, with Object Lock in compliance mode and a default retention
 * (infra/digest-bucket.ts), so that a stored digest version can be neither changed nor deleted
 * before its retention ends, by anyone. The function only puts; `audit verify` lists and reads.
 */
export function digestStore(client: ClientSource<S3Client>, bucket: string): DigestStorePort {
  return {
    async put(key: string, text: string): Promise<'stored' | 'exists'> {
      const { PutObjectCommand } = sdk.s3();
      try {
        await resolveClient(client).send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: text,
            ContentType: 'application/json',
            // Never a second version of a digest from the guard: only someone else could write one.
            IfNoneMatch: '*',
            // Object Lock wants an integrity checksum with every put.
            ChecksumAlgorithm: 'SHA256',
          }),
        );
        return 'stored';
      } catch (error) {
        const name = awsErrorName(error);
        if (name === 'PreconditionFailed' || statusOf(error) === 412) return 'exists';
        throw error;
      }
    },
  };
}

/** How many digest versions are read at once. */
const READ_CONCURRENCY = 16;

export function digestReader(client: ClientSource<S3Client>, bucket: string): DigestReaderPort {
  return {
    async versions(prefix, read): Promise<DigestVersion[]> {
      const { ListObjectVersionsCommand, GetObjectCommand } = sdk.s3();
      const s3 = resolveClient(client);
      const versions: DigestVersion[] = [];
      let keyMarker: string | undefined;
      let versionMarker: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectVersionsCommand({
            Bucket: bucket,
            Prefix: prefix,
            KeyMarker: keyMarker,
            VersionIdMarker: versionMarker,
          }),
        );
        for (const v of page.Versions ?? []) {
          if (!v.Key || !v.VersionId) continue;
          versions.push({
            key: v.Key,
            versionId: v.VersionId,
            lastModified: (v.LastModified ?? new Date(0)).toISOString(),
            isLatest: v.IsLatest === true,
            deleteMarker: false,
            ...(v.ETag ? { etag: v.ETag.replaceAll('"', '') } : {}),
          });
        }
        for (const m of page.DeleteMarkers ?? []) {
          if (!m.Key || !m.VersionId) continue;
          versions.push({
            key: m.Key,
            versionId: m.VersionId,
            lastModified: (m.LastModified ?? new Date(0)).toISOString(),
            isLatest: m.IsLatest === true,
            deleteMarker: true,
          });
        }
        keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
      } while (keyMarker);

      // Each version by its id: a newer version cannot stand in for the one asked for.
      const wanted = versions.filter((v) => !v.deleteMarker && read(v));
      for (let i = 0; i < wanted.length; i += READ_CONCURRENCY) {
        await Promise.all(
          wanted.slice(i, i + READ_CONCURRENCY).map(async (v) => {
            const object = await s3.send(
              new GetObjectCommand({ Bucket: bucket, Key: v.key, VersionId: v.versionId }),
            );
            v.body = (await object.Body?.transformToString('utf-8')) ?? '';
          }),
        );
      }
      return versions;
    },
  };
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}
