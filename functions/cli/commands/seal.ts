import { auditSeal } from '../../aws/audit-seal';
import { digestReader, digestStore } from '../../aws/digest-store';
import { accountOfArn } from '../../core/arn';
import { duration } from '../../core/report/text';
import { SETTLE_SECONDS } from '../../core/seal/digest';
import type { VerifyResult } from '../../core/seal/verify';
import { sealRecords, verifyRecords } from '../../guard/seal';
import type { SealPorts } from '../../seal-ports';
import { auditConfig } from '../audit';
import { awsClients } from '../aws-clients';
import { CliError } from '../errors';
import { EXIT_ERROR, EXIT_OK } from '../exit-codes';
import type { CliIo } from '../io';
import { parseSince } from '../options';

/**
 * `audit digest` seals the audit records into a digest, with the code the scheduled sweep runs;
 * `audit verify` recomputes every digest and record (DESIGN §16).
 */

/** The bucket the digests are in: from the environment or the stack's DigestBucketName output. */
export function digestConfig(env: NodeJS.ProcessEnv): { tableName: string; region: string; bucket: string } {
  const { tableName, region } = auditConfig(env);
  const bucket = env.DIGEST_BUCKET_NAME;
  if (!bucket) {
    throw new CliError(
      'DIGEST_BUCKET_NAME is not set: give --stack (its DigestBucketName output) or set it to the digest bucket',
    );
  }
  return { tableName, region, bucket };
}

export async function digestCommand(
  options: { json?: boolean; settle?: string; allowEndpoint?: string[] },
  io: CliIo,
  env = process.env,
  now = new Date(),
): Promise<number> {
  const { tableName, region, bucket } = digestConfig(env);
  // Sealing writes digests: only to AWS, a loopback emulator or an endpoint named with --allow-endpoint.
  const { dynamodb, s3 } = awsClients(region, {
    command: 'audit digest',
    allowed: options.allowEndpoint ?? [],
  });
  const account = accountOfArn(env.GUARD_ROLE_ARN);
  const ports: SealPorts = {
    source: auditSeal(dynamodb, tableName, region),
    store: digestStore(s3, bucket),
    region,
    ...(account ? { account } : {}),
  };
  const settleSeconds = options.settle === undefined ? SETTLE_SECONDS : parseSettle(options.settle);
  const outcome = await sealRecords(ports, now, settleSeconds);
  if (options.json) {
    io.out(`${JSON.stringify({ bucket, ...outcome }, null, 2)}\n`);
    return EXIT_OK;
  }
  for (const d of outcome.digests) {
    io.out(`sealed ${d.records} record(s) from ${d.from} to ${d.to} into s3://${bucket}/${d.key}\n`);
  }
  const settle =
    settleSeconds > 0
      ? `records of the last ${duration(settleSeconds)} are sealed by the next run (a decision may still be writing them)`
      : 'every record written so far is sealed';
  if (outcome.digests.length === 0) {
    io.out(
      outcome.head
        ? `nothing new to seal: digest ${outcome.head.sequence} seals up to ${outcome.head.to}; ${settle}\n`
        : `nothing to seal yet; ${settle}\n`,
    );
  } else {
    io.out(`${settle}\n`);
  }
  return EXIT_OK;
}

/** `--settle 0s`, `5m`, `1h`: how young a record may be and still be sealed by this run. */
export function parseSettle(text: string): number {
  const match = /^(\d+)\s*([smh])$/i.exec(text.trim());
  if (!match) throw new CliError(`--settle "${text}": expected a duration such as 0s, 5m or 1h`);
  const unit = (match[2] ?? 's').toLowerCase();
  return Number(match[1]) * (unit === 'h' ? 3600 : unit === 'm' ? 60 : 1);
}

/** How many unsealed records are listed by name. */
const LISTED = 20;

export async function verifyCommand(
  options: { since?: string; json?: boolean },
  io: CliIo,
  env = process.env,
  now = new Date(),
): Promise<number> {
  const since = options.since === undefined ? undefined : parseSince(options.since, now);
  const { tableName, region, bucket } = digestConfig(env);
  const { dynamodb, s3 } = awsClients(region);
  const result = await verifyRecords(
    digestReader(s3, bucket),
    auditSeal(dynamodb, tableName, region),
    region,
    now,
    since,
  );
  if (options.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return result.intact ? EXIT_OK : EXIT_ERROR;
  }
  io.out(verifyText(result, bucket, since));
  return result.intact ? EXIT_OK : EXIT_ERROR;
}

export function verifyText(result: VerifyResult, bucket: string, since?: Date): string {
  const lines: string[] = [];
  for (const f of result.findings) lines.push(`${f.kind.toUpperCase()}: ${f.message}`);
  const scope = since ? ` (digests ending after ${since.toISOString()})` : '';
  if (result.digests === 0) {
    lines.push(
      `no digest in s3://${bucket} yet: nothing is sealed; run "audit digest" (the scheduled sweep does)`,
    );
  } else {
    lines.push(
      result.intact
        ? `intact: ${result.sealedRecords} sealed record(s) match ${result.digestsChecked} digest(s) of s3://${bucket}${scope}`
        : `${result.findings.length} finding(s): the audit trail does not match what was sealed in s3://${bucket}${scope}`,
    );
  }
  if (result.expired.length > 0) {
    lines.push(
      `${result.expired.length} sealed record(s) expired under the table's retention (not a failure)`,
    );
  }
  if (result.unsealed.length > 0) {
    lines.push(
      `${result.unsealed.length} record(s) not sealed yet, written after ${result.sealedUntil ?? 'the first digest'} (not a failure):`,
    );
    for (const r of result.unsealed.slice(0, LISTED)) lines.push(`  ${r.time} ${r.cluster}`);
    if (result.unsealed.length > LISTED) lines.push(`  ... and ${result.unsealed.length - LISTED} more`);
  }
  return `${lines.join('\n')}\n`;
}
