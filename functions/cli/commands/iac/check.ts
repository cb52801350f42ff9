import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import packageJson from '../../../../package.json';
import { evaluateCluster } from '../../../core/iac/evaluate';
import { type CheckedCluster, iacReport } from '../../../core/iac/report';
import { sarifLog } from '../../../core/iac/sarif';
import { EXIT_ERROR, EXIT_NON_COMPLIANT, EXIT_OK } from '../../exit-codes';
import type { CliIo } from '../../io';
import { readIacInputs, readParameters } from './inputs';
import { readIacPolicy } from './policy';
import { printIacText } from './render';

export interface IacCheckOptions {
  policy?: string;
  /** `Key=Value` pairs and JSON files of them. */
  parameters?: string[];
  format?: 'text' | 'json' | 'sarif';
  exitZero?: boolean;
}

/**
 * `iac check FILE...` (DESIGN §17): every EKS cluster of the inputs evaluated by the guard's own
 * core. Resolves to the exit code: 1 an unreadable input, 3 a cluster non-compliant or not
 * provably compliant (unless --exit-zero), else 0.
 */
export async function iacCheckCommand(
  files: string[],
  options: IacCheckOptions,
  io: CliIo,
  now: Date = new Date(),
): Promise<number> {
  const parameters = await readParameters(options.parameters ?? []);
  // The policy first: without a usable one nothing is evaluated (and an offline run reads no AWS).
  const policy = await readIacPolicy(options.policy, io, now);
  const read = await readIacInputs(files, parameters);
  const checked: CheckedCluster[] = read.clusters.map((cluster) => ({
    cluster,
    verdict: evaluateCluster(cluster, policy.policy, now),
  }));
  for (const error of read.errors) io.err(`${error.message}\n`);

  const format = options.format ?? 'text';
  if (format === 'json') {
    const report = iacReport(
      checked,
      read.errors,
      { source: policy.source, digest: policy.digest },
      read.files,
    );
    io.out(`${JSON.stringify(report, null, 2)}\n`);
  } else if (format === 'sarif') {
    io.out(
      `${JSON.stringify(sarifLog(checked, read.errors, { version: packageJson.version, uriOf }), null, 2)}\n`,
    );
  } else {
    printIacText(checked, read, policy, io);
  }

  if (read.errors.length > 0) return EXIT_ERROR;
  const failing = checked.some((c) => c.verdict.status === 'non-compliant' || c.verdict.status === 'unknown');
  return failing && !options.exitZero ? EXIT_NON_COMPLIANT : EXIT_OK;
}

/** The artifact URI code scanning expects: relative to the working directory (the repository root) when inside it. */
export function uriOf(file: string, cwd: string = process.cwd()): string {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    return pathToFileURL(absolute).href;
  }
  return relative.split(path.sep).map(encodeURIComponent).join('/');
}
