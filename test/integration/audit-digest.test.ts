import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { auditSeal } from '../../functions/aws/audit-seal';
import { auditItem, auditStore } from '../../functions/aws/audit-store';
import { digestStore } from '../../functions/aws/digest-store';
import { digestCommand, verifyCommand } from '../../functions/cli/commands/seal';
import type { CliIo } from '../../functions/cli/io';
import { provisionLocalEnv } from '../../functions/cli/local-env';
import type { CheckResult } from '../../functions/core/result';
import { digestKey } from '../../functions/core/seal/digest';
import { sealRecords } from '../../functions/guard/seal';
import { auditRecordFixture, createWorld, REGION, runCli, type World } from './support';

jest.setTimeout(60_000);

/**
 * `audit digest` and `audit verify` against the emulator, with a digest bucket as local-env makes it
 * (Object Lock, compliance mode): an intact trail verifies, and each kind of tampering is named.
 */
let world: World;
const MINUTE = 60_000;

beforeAll(async () => {
  world = await createWorld('dig', { version: 1, publicAccess: 'disabled', privateAccess: 'required' });
});

function capture(): CliIo & { stdout: () => string } {
  let out = '';
  return {
    out: (t) => {
      out += t;
    },
    err: () => undefined,
    errIsTty: false,
    style: { bold: (t) => t, dim: (t) => t, outcome: (o, t) => t ?? o },
    stdout: () => out,
  };
}

/** A table and bucket of their own, three records written an hour ago and sealed into one digest. */
async function sealedTrail(tag: string, options: { lock?: boolean } = {}) {
  const names = { table: `guard-audit-dig-${tag}`, digestBucket: `guard-digests-dig-${tag}` };
  if (options.lock === false) {
    // A bucket without Object Lock, where a version can be removed: what verify sees if one ever is.
    await world.clients.s3.send(new CreateBucketCommand({ Bucket: names.digestBucket }));
    await world.clients.s3.send(
      new PutBucketVersioningCommand({
        Bucket: names.digestBucket,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
  }
  const { env } = await provisionLocalEnv(world.clients, {
    names: { ...names, policyParameter: world.env.POLICY_PARAMETER_NAME },
  });
  const now = Date.now();
  const store = auditStore(world.clients.dynamodb, env.AUDIT_TABLE_NAME, REGION, 0);
  const records: CheckResult[] = [
    auditRecordFixture(`${tag}-1`, 'prod-api', 'remediated', 60 * MINUTE, now),
    auditRecordFixture(`${tag}-2`, 'payments', 'compliant', 50 * MINUTE, now),
    auditRecordFixture(`${tag}-3`, 'analytics', 'blocked', 40 * MINUTE, now),
  ];
  for (const r of records) await store.write(r);
  const seal = {
    source: auditSeal(world.clients.dynamodb, env.AUDIT_TABLE_NAME, REGION),
    store: digestStore(world.clients.s3, env.DIGEST_BUCKET_NAME),
    region: REGION,
  };
  await sealRecords(seal, new Date(now - 30 * MINUTE), 0);
  const cliEnv = { ...world.processEnv, ...env };
  const verify = async (since?: string) => {
    const io = capture();
    const code = await verifyCommand(since ? { since } : {}, io, cliEnv);
    return { code, text: io.stdout() };
  };
  return { env, cliEnv, records, seal, now, verify };
}

const documents = () => DynamoDBDocumentClient.from(world.clients.dynamodb);

describe('audit digest and audit verify, from the command line', () => {
  test('seal the records, then verify them intact (exit 0); a record written since is listed as not sealed', async () => {
    // Prepare
    const trail = await sealedTrail('cli');
    await auditStore(world.clients.dynamodb, trail.env.AUDIT_TABLE_NAME, REGION, 0).write(
      auditRecordFixture('cli-4', 'prod-api', 'compliant', 5 * MINUTE, trail.now),
    );

    // Act
    const digest = await runCli(['audit', 'digest', '--settle', '10m'], trail.cliEnv);
    const verify = await runCli(['audit', 'verify'], trail.cliEnv);

    // Assess
    expect(digest).toMatchObject({ code: 0, stderr: '' });
    expect(digest.stdout).toMatch(
      new RegExp(
        `^sealed 0 record\\(s\\) from .* into s3://${trail.env.DIGEST_BUCKET_NAME}/eks-endpoint-guard/digests/us-east-1/0000000002\\.json\\n`,
      ),
    );
    expect(verify).toMatchObject({ code: 0, stderr: '' });
    expect(verify.stdout).toContain(
      `intact: 3 sealed record(s) match 2 digest(s) of s3://${trail.env.DIGEST_BUCKET_NAME}`,
    );
    expect(verify.stdout).toMatch(
      /1 record\(s\) not sealed yet, written after .* \(not a failure\):\n {2}\S+ prod-api\n/,
    );
  });

  test("the emulator's bucket keeps each digest in compliance mode and refuses to delete a version", async () => {
    // Prepare
    const trail = await sealedTrail('lock');
    const key = digestKey(REGION, 1);

    // Act
    const head = await world.clients.s3.send(
      new HeadObjectCommand({ Bucket: trail.env.DIGEST_BUCKET_NAME, Key: key }),
    );
    const config = await world.clients.s3.send(
      new GetObjectLockConfigurationCommand({ Bucket: trail.env.DIGEST_BUCKET_NAME }),
    );
    const removal = await world.clients.s3
      .send(
        new DeleteObjectCommand({
          Bucket: trail.env.DIGEST_BUCKET_NAME,
          Key: key,
          VersionId: head.VersionId,
        }),
      )
      .catch((error: unknown) => error);

    // Assess
    expect(head.ObjectLockMode).toBe('COMPLIANCE');
    expect(head.ObjectLockRetainUntilDate?.getTime()).toBeGreaterThan(Date.now());
    expect(config.ObjectLockConfiguration?.Rule?.DefaultRetention).toMatchObject({
      Mode: 'COMPLIANCE',
      Days: 1,
    });
    expect(removal).toMatchObject({ name: 'AccessDenied' });
  });
});

describe('audit verify names each kind of tampering (exit 1)', () => {
  test('a record edited after it was sealed', async () => {
    // Prepare
    const trail = await sealedTrail('edit');
    const [first] = trail.records as [CheckResult];
    await documents().send(
      new PutCommand({
        TableName: trail.env.AUDIT_TABLE_NAME,
        Item: { ...auditItem(first, 0), outcome: 'exempt' },
      }),
    );

    // Act
    const { code, text } = await trail.verify();

    // Assess
    expect(code).toBe(1);
    expect(text).toContain(`CHANGED: record of prod-api at ${first.time} changed after it was sealed`);
  });

  test('a record deleted after it was sealed', async () => {
    // Prepare
    const trail = await sealedTrail('del');
    const second = trail.records[1] as CheckResult;
    const { pk, sk } = auditItem(second, 0);
    await documents().send(new DeleteCommand({ TableName: trail.env.AUDIT_TABLE_NAME, Key: { pk, sk } }));

    // Act
    const { code, text } = await trail.verify();

    // Assess
    expect(code).toBe(1);
    expect(text).toContain(`DELETED: record of payments at ${second.time} deleted after it was sealed`);
  });

  test('a record inserted into a sealed range', async () => {
    // Prepare
    const trail = await sealedTrail('ins');
    const forged = auditRecordFixture('forged', 'edge-proxy', 'compliant', 45 * MINUTE, trail.now);
    await documents().send(
      new PutCommand({ TableName: trail.env.AUDIT_TABLE_NAME, Item: auditItem(forged, 0) }),
    );

    // Act
    const { code, text } = await trail.verify();

    // Assess
    expect(code).toBe(1);
    expect(text).toContain(
      `INSERTED: record of edge-proxy at ${forged.time} inserted after its time range was sealed`,
    );
  });

  test('digests rewritten in another order (a new version under each key)', async () => {
    // Prepare: a second digest, then each one's text written again under the other's key
    const trail = await sealedTrail('order');
    await sealRecords(trail.seal, new Date(trail.now), 0);
    const bucket = trail.env.DIGEST_BUCKET_NAME;
    const text = async (key: string) =>
      (await (
        await world.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      ).Body?.transformToString()) ?? '';
    const [one, two] = [digestKey(REGION, 1), digestKey(REGION, 2)];
    const [first, second] = [await text(one), await text(two)];
    await world.clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: one, Body: second, ChecksumAlgorithm: 'SHA256' }),
    );
    await world.clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: two, Body: first, ChecksumAlgorithm: 'SHA256' }),
    );

    // Act
    const { code, text: out } = await trail.verify();

    // Assess
    expect(code).toBe(1);
    expect(out).toContain(`DIGEST-FORK: digest ${one} has 2 different versions`);
    expect(out).toContain(
      `CHAIN-BROKEN: digest ${one} holds digest 2 of us-east-1: digests were moved or reordered`,
    );
    expect(out).toContain(`CHAIN-BROKEN: digest ${two} holds digest 1 of us-east-1`);
  });

  test('a digest deleted: hidden by a delete marker, or (in a bucket without a lock) removed', async () => {
    // Prepare
    const locked = await sealedTrail('hide');
    const open = await sealedTrail('gone', { lock: false });
    await sealRecords(open.seal, new Date(open.now), 0);
    const key = digestKey(REGION, 1);
    await world.clients.s3.send(new DeleteObjectCommand({ Bucket: locked.env.DIGEST_BUCKET_NAME, Key: key }));
    const { Versions = [] } = await world.clients.s3.send(
      new ListObjectVersionsCommand({ Bucket: open.env.DIGEST_BUCKET_NAME, Prefix: key }),
    );
    for (const v of Versions) {
      await world.clients.s3.send(
        new DeleteObjectCommand({ Bucket: open.env.DIGEST_BUCKET_NAME, Key: key, VersionId: v.VersionId }),
      );
    }

    // Act
    const hidden = await locked.verify();
    const removed = await open.verify();

    // Assess
    expect(hidden.code).toBe(1);
    expect(hidden.text).toContain(
      `DIGEST-DELETED: digest ${key} was deleted after it was written (hidden by a delete marker)`,
    );
    expect(removed.code).toBe(1);
    expect(removed.text).toContain(
      `DIGEST-MISSING: digest ${key} is missing: the records it sealed cannot be verified`,
    );
  });

  test('--since checks only the digests that end after it', async () => {
    // Prepare: the first record edited, but only the second digest's range (after since) is checked
    const trail = await sealedTrail('since');
    await sealRecords(trail.seal, new Date(trail.now), 0);
    const [first] = trail.records as [CheckResult];
    await documents().send(
      new PutCommand({
        TableName: trail.env.AUDIT_TABLE_NAME,
        Item: { ...auditItem(first, 0), outcome: 'exempt' },
      }),
    );

    // Act
    const recent = await trail.verify(new Date(trail.now - 10 * MINUTE).toISOString());
    const all = await trail.verify();

    // Assess
    expect(recent.code).toBe(0);
    expect(all.code).toBe(1);
  });
});

describe('the report states whether its records verified', () => {
  test('intact, then tampered', async () => {
    // Prepare
    const trail = await sealedTrail('rep');
    const report = async () =>
      JSON.parse((await runCli(['report', '--since', '1d', '--format', 'json'], trail.cliEnv)).stdout);

    // Act
    const before = await report();
    await documents().send(
      new PutCommand({
        TableName: trail.env.AUDIT_TABLE_NAME,
        Item: { ...auditItem(trail.records[2] as CheckResult, 0), reason: 'rewritten' },
      }),
    );
    const after = await report();

    // Assess
    expect(before.verification).toMatchObject({ status: 'intact', sealedRecords: 3, findingCount: 0 });
    expect(after.verification).toMatchObject({ status: 'tampered', findingCount: 1 });
    expect(after.verification.findings[0]).toContain('record of analytics at');
    expect(after.controls.find((c: { id: string }) => c.id === 'nist-800-53-sc-7').exceptions).toContain(
      '1 record(s) or digest(s) do not match what was sealed',
    );
  });
});

test('digestCommand reports nothing to seal while the records settle', async () => {
  // Prepare: a trail just sealed up to 30 minutes ago; the default settle leaves the rest
  const trail = await sealedTrail('settle');
  const io = capture();

  // Act
  const code = await digestCommand({}, io, trail.cliEnv, new Date(trail.now - 40 * MINUTE));

  // Assess
  expect(code).toBe(0);
  expect(io.stdout()).toMatch(
    /^nothing new to seal: digest 1 seals up to .*; records of the last 15 min 00 s are sealed by the next run/,
  );
});
