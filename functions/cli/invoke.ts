import { normaliseEvent } from '../core/triggers/normalise';
import { processEvent } from '../guard/process-event';
import { PROGRAM } from './cli-error';
import { guardRuntime } from './context';
import { EXIT_ERROR, EXIT_OK } from './exit-codes';
import { readJsonInput } from './input';
import type { CliIo } from './io';
import { ResultPrinter } from './results';

export interface InvokeOptions {
  json?: boolean;
  /** Decide and report only: no change, alert, record or re-check. */
  dryRun?: boolean;
}

/** Resolves to the exit code: 1 when (part of) the input is not an event the guard can read. */
export async function invokeCommand(source: string, options: InvokeOptions, io: CliIo): Promise<number> {
  const event = await readJsonInput(source, io.stdin);
  const runtime = guardRuntime();
  // Pure and cheap: tells what the guard could not read, which processEvent records as failed.
  const normalised = normaliseEvent(event, {
    region: runtime.config.AWS_REGION,
    guardRoleArn: runtime.config.GUARD_ROLE_ARN,
    now: runtime.ports.clock(),
  });
  const unreadable = normalised.items.filter((item) => item.kind === 'unreadable');
  // Which account this is, from GUARD_ROLE_ARN or the credentials: never left unchecked. Input
  // with nothing readable in it names no account, so the credentials need not be asked.
  const readable = normalised.sweep !== undefined || unreadable.length < normalised.items.length;
  const account = readable ? await runtime.account() : undefined;
  const response = await processEvent(event, runtime.ports, {
    ...runtime.processOptions(!options.dryRun),
    ...(account ? { account } : {}),
  });
  const printer = new ResultPrinter(io, options.json ?? false, 'result');
  for (const result of response.results) printer.add(result);
  printer.finish();
  if (response.batchItemFailures.length > 0) {
    const ids = response.batchItemFailures.map((f) => f.itemIdentifier).join(', ');
    io.err(
      `${response.batchItemFailures.length} message(s) would go back to the queue for a retry: ${ids}\n`,
    );
  }
  for (const item of unreadable)
    io.err(`${PROGRAM}: ${where(source)}: cannot read the event: ${item.reason}\n`);
  return unreadable.length > 0 ? EXIT_ERROR : EXIT_OK;
}

function where(source: string): string {
  return source === '-' ? 'standard input' : source;
}
