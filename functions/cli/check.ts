import { randomUUID } from 'node:crypto';
import type { Trigger } from '../core/check-request';
import { sweep } from '../sweep';
import { guardRuntime } from './context';
import type { CliIo } from './io';
import { ResultPrinter } from './results';

export interface CheckOptions {
  cluster?: string[];
  fix?: boolean;
  concurrency?: number;
  json?: boolean;
}

export async function checkCommand(options: CheckOptions, io: CliIo): Promise<void> {
  const runtime = guardRuntime();
  const act = options.fix ?? false;
  const clusters = options.cluster && options.cluster.length > 0 ? [...new Set(options.cluster)] : undefined;
  const now = runtime.ports.clock();
  const trigger: Trigger = { source: clusters ? 'cli' : 'sweep', eventTime: now.toISOString() };
  const sweepId = `check-${now.toISOString().replace(/[-:]|\.\d+/g, '')}-${randomUUID().slice(0, 8)}`;
  const run = runtime.processOptions(act);

  const printer = new ResultPrinter(io, options.json ?? false);
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
      printer.working(`${printer.count} cluster(s) checked…`);
    }
  } finally {
    printer.finish();
  }
}
