import { processEvent } from '../remediator/process-event';
import { guardRuntime } from './context';
import { readJsonInput } from './input';
import type { CliIo } from './io';
import { ResultPrinter } from './results';

export interface InvokeOptions {
  json?: boolean;
  /** Decide and report only: no change, alert, record or re-check. */
  dryRun?: boolean;
}

export async function invokeCommand(source: string, options: InvokeOptions, io: CliIo): Promise<void> {
  const event = await readJsonInput(source, io.stdin);
  const runtime = guardRuntime();
  const response = await processEvent(event, runtime.ports, runtime.processOptions(!options.dryRun));
  const printer = new ResultPrinter(io, options.json ?? false, 'result');
  for (const result of response.results) printer.add(result);
  printer.finish();
  if (response.batchItemFailures.length > 0) {
    const ids = response.batchItemFailures.map((f) => f.itemIdentifier).join(', ');
    io.err(
      `${response.batchItemFailures.length} message(s) would go back to the queue for a retry: ${ids}\n`,
    );
  }
}
