import { normaliseEvent } from '../core/triggers/normalise';
import type { NormalisedEvent } from '../core/triggers/types';
import { processEvent } from '../guard/process-event';
import { CliError, ErrorInContext } from './cli-error';
import { guardRuntime } from './context';
import { EXIT_OK } from './exit-codes';
import { readJsonInput } from './input';
import type { CliIo } from './io';
import { ResultPrinter } from './results';

export interface InvokeOptions {
  json?: boolean;
  /** Decide and report only: no change, alert, record or re-check. */
  dryRun?: boolean;
  /** Endpoints other than AWS's own or a loopback emulator that the run may write to. */
  allowEndpoint?: string[];
}

/**
 * Runs the guard once on a saved event, as the Lambda would. The input comes from a person, so it
 * is read and checked before anything else: an event the guard cannot read is refused in one line
 * (exit 1) and nothing is decided, recorded or alerted (the Lambda, given the same event, records
 * and alerts it, since nobody would see it otherwise).
 */
export async function invokeCommand(
  source: string,
  options: InvokeOptions,
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const event = await readJsonInput(source, io.stdin);
  const read = readableEvent(event, where(source), env);
  const runtime = guardRuntime(env, {
    ...(options.dryRun ? {} : { writes: { command: 'invoke', allowed: options.allowEndpoint ?? [] } }),
  });
  let response: Awaited<ReturnType<typeof processEvent>>;
  try {
    // Which account this is, from GUARD_ROLE_ARN or the credentials: never left unchecked. Input
    // with nothing in it names no account, so the credentials need not be asked.
    const account = read.sweep !== undefined || read.items.length > 0 ? await runtime.account() : undefined;
    response = await processEvent(event, runtime.ports, {
      ...runtime.processOptions(!options.dryRun),
      ...(account ? { account } : {}),
    });
  } catch (error) {
    throw new ErrorInContext(`${where(source)}: ${whatItDecides(read, runtime.config.AWS_REGION)}`, error);
  }
  const printer = new ResultPrinter(io, options.json ?? false, 'result');
  for (const result of response.results) printer.add(result);
  printer.finish();
  if (response.batchItemFailures.length > 0) {
    const ids = response.batchItemFailures.map((f) => f.itemIdentifier).join(', ');
    io.err(
      `${response.batchItemFailures.length} message(s) would go back to the queue for a retry: ${ids}\n`,
    );
  }
  return EXIT_OK;
}

/** The event as the guard reads it, or a one-line refusal naming what it cannot read and where. */
export function readableEvent(event: unknown, source: string, env: NodeJS.ProcessEnv): NormalisedEvent {
  const read = normaliseEvent(event, {
    region: env.AWS_REGION ?? '',
    ...(env.GUARD_ROLE_ARN ? { guardRoleArn: env.GUARD_ROLE_ARN } : {}),
    now: new Date(),
  });
  const unreadable = read.items.flatMap((item, index) =>
    item.kind === 'unreadable' ? [{ item, index }] : [],
  );
  const [first] = unreadable;
  if (!first) return read;
  const which = read.items.length > 1 ? `record ${first.index + 1} of ${read.items.length}: ` : '';
  const more = unreadable.length > 1 ? ` (and ${unreadable.length - 1} more record(s))` : '';
  throw new CliError(
    `${source}: not an event the guard can read, nothing was done: ${which}${first.item.reason}${more}`,
  );
}

/** `deciding on cluster prod-api`: what a failure interrupted, for its one-line message. */
function whatItDecides(read: NormalisedEvent, region: string): string {
  if (read.shape === 'schedule') return `sweeping the clusters of ${region}`;
  const clusters = [
    ...new Set(read.items.flatMap((item) => (item.kind === 'check' ? [item.request.cluster] : []))),
  ];
  if (clusters.length === 0) return 'deciding';
  return `deciding on cluster${clusters.length > 1 ? 's' : ''} ${clusters.join(', ')}`;
}

function where(source: string): string {
  return source === '-' ? 'standard input' : source;
}
