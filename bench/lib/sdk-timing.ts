/**
 * Times every AWS call a set of SDK clients makes, from the first middleware step to the parsed
 * response (serialisation, signing, the HTTP round trip, parsing and any retries).
 */
type Handler = (args: { input?: unknown }) => Promise<unknown>;
interface Stack {
  add(
    middleware: (next: Handler, context: { commandName?: string }) => Handler,
    options: { step: 'initialize'; name: string; priority: 'high' },
  ): void;
}

export interface CallStats {
  count: number;
  totalMs: number;
  samples: number[];
}

export class SdkTiming {
  /** Calls and their time since the last reset() (one event, say). */
  calls = 0;
  callMs = 0;
  readonly byCommand = new Map<string, CallStats>();

  instrument(clients: object): void {
    for (const client of Object.values(clients) as { middlewareStack: Stack }[]) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const started = performance.now();
          try {
            return await next(args);
          } finally {
            this.record(
              String(context.commandName ?? 'unknown').replace(/Command$/, ''),
              performance.now() - started,
            );
          }
        },
        { step: 'initialize', name: 'benchSdkTiming', priority: 'high' },
      );
    }
  }

  reset(): void {
    this.calls = 0;
    this.callMs = 0;
  }

  private record(command: string, elapsed: number): void {
    this.calls += 1;
    this.callMs += elapsed;
    const stats = this.byCommand.get(command) ?? { count: 0, totalMs: 0, samples: [] };
    stats.count += 1;
    stats.totalMs += elapsed;
    if (stats.samples.length < 5000) stats.samples.push(elapsed);
    this.byCommand.set(command, stats);
  }

  toJSON(): Record<string, CallStats> {
    return Object.fromEntries(this.byCommand);
  }
}
