import { randomUUID } from 'node:crypto';
import type { Trigger } from '../core/check-request';
import { sweep } from '../guard/sweep';
import { guardRegions } from './aws-target';
import { CliError } from './cli-error';
import { clientsRegion } from './clients';
import { guardRuntime } from './context';
import { EXIT_NON_COMPLIANT, EXIT_OK, NON_COMPLIANT_OUTCOMES } from './exit-codes';
import type { CliIo } from './io';
import { ResultPrinter } from './results';

export interface CheckOptions {
  cluster?: string[];
  fix?: boolean;
  concurrency?: number;
  json?: boolean;
  /** Exit 0 even when a cluster is non-compliant or a decision failed. */
  exitZero?: boolean;
  /** Every enabled region with a guard stack (named `stack`, or any guard stack). */
  allRegions?: boolean;
  stack?: string;
  /** List each cluster's recent API clients from its audit log instead of deciding. */
  clients?: boolean;
}

/**
 * Resolves to the exit code: 3 when a cluster is left non-compliant (would-remediate, blocked) or a
 * decision failed, unless `exitZero`; 0 otherwise. Report-only needs no topic, queue or table.
 */
export async function checkCommand(
  options: CheckOptions,
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const inRegion = options.clients ? clientsRegion : checkRegion;
  if (options.clients && options.fix)
    throw new CliError('--clients lists clients and changes nothing: leave out --fix');
  if (!options.allRegions) return inRegion(options, io, env);
  const regions = await guardRegions(env, options.stack);
  if (regions.length === 0) throw new CliError('--all-regions: no region of the account has a guard stack');
  let code = EXIT_OK;
  for (const target of regions) {
    io.err(`${target.region}:\n`);
    const exit = await inRegion(options, io, { ...env, ...target.env });
    if (exit !== EXIT_OK) code = exit;
  }
  return code;
}

async function checkRegion(options: CheckOptions, io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const act = options.fix ?? false;
  const runtime = guardRuntime(env, { reportOnly: !act });
  const clusters = options.cluster && options.cluster.length > 0 ? [...new Set(options.cluster)] : undefined;
  const now = runtime.ports.clock();
  const trigger: Trigger = { source: clusters ? 'cli' : 'sweep', eventTime: now.toISOString() };
  const sweepId = `check-${now.toISOString().replace(/[-:]|\.\d+/g, '')}-${randomUUID().slice(0, 8)}`;
  const run = runtime.processOptions(act);

  const printer = new ResultPrinter(io, options.json ?? false);
  let nonCompliant = 0;
  printer.working('listing clusters…');
  try {
    const results = sweep(
      runtime.ports,
      run.guard,
      {
        region: runtime.config.AWS_REGION,
        sweepId,
        trigger,
        concurrency: options.concurrency ?? runtime.config.SWEEP_CONCURRENCY,
        ...(clusters ? { clusters } : {}),
      },
      run.telemetry,
    );
    for await (const result of results) {
      run.observe?.(result);
      printer.add(result);
      // A violation within its grace period is still one: nothing fixed it yet.
      const inGrace = result.outcome === 'deferred' && result.graceUntil !== undefined;
      if (NON_COMPLIANT_OUTCOMES.has(result.outcome) || inGrace) nonCompliant += 1;
      printer.working(`${printer.count} cluster(s) checked…`);
    }
  } finally {
    printer.finish();
  }
  return nonCompliant > 0 && !options.exitZero ? EXIT_NON_COMPLIANT : EXIT_OK;
}
