import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The function's execution environments: a pool of worker processes, each handling one
 * invocation at a time. A worker killed (a crash point, a random SIGKILL, or an invocation past the
 * function's timeout) fails its invocation and is replaced by a fresh one: a cold start.
 */
export type InvokeResult =
  | { kind: 'ok'; response: unknown }
  | { kind: 'error'; error: string }
  | { kind: 'crashed'; reason: string };

export interface PoolOptions {
  script: string;
  entry: string;
  size: number;
  /** The function's timeout (storm time): an invocation still running is killed. */
  timeoutMs: number;
  /** The environment of worker `id` (its own access key names it to the proxy). */
  env(id: number): NodeJS.ProcessEnv;
  logDir: string;
}

interface Worker {
  id: number;
  child: ChildProcess;
  ready: Promise<void>;
  busy?: { resolve(result: InvokeResult): void; timer: NodeJS.Timeout };
  dead: boolean;
}

export class WorkerPool {
  readonly #workers = new Map<number, Worker>();
  readonly #waiting: ((worker: Worker) => void)[] = [];
  #nextId = 1;
  #closed = false;
  #invocations = 0;
  /** Workers killed, by why. */
  readonly kills = new Map<string, number>();
  /** Each kill: which worker, when, why (kept with the evidence). */
  readonly killLog: { worker: number; at: number; reason: string }[] = [];
  coldStarts = 0;

  constructor(private readonly options: PoolOptions) {
    for (let i = 0; i < options.size; i++) this.#spawn();
  }

  get busy(): number {
    return [...this.#workers.values()].filter((w) => w.busy).length;
  }

  /** Workers ready for an invocation now, none promised to a waiting one. */
  get idle(): number {
    const ready = [...this.#workers.values()].filter(
      (w) => (w as Worker & { idle?: boolean }).idle && !w.dead && !w.busy,
    );
    return Math.max(0, ready.length - this.#waiting.length);
  }

  /** Runs one invocation on the next idle worker. */
  async invoke(event: unknown, requestId: string): Promise<InvokeResult> {
    let worker = await this.#idle();
    while (worker.dead) worker = await this.#idle();
    await worker.ready;
    const id = this.#invocations++;
    return new Promise<InvokeResult>((resolve) => {
      const timer = setTimeout(() => this.kill(worker.id, 'timeout'), this.options.timeoutMs);
      worker.busy = { resolve, timer };
      // A worker may die between being picked and being sent the event: that is a crash too.
      const lost = (error: Error | null) => {
        if (error)
          this.#finish(worker, { kind: 'crashed', reason: `could not reach the worker: ${error.message}` });
      };
      try {
        worker.child.send({ id, event, requestId, timeoutMs: this.options.timeoutMs }, lost);
      } catch (error) {
        lost(error as Error);
      }
    });
  }

  /** Invocations started so far. */
  get invocations(): number {
    return this.#invocations;
  }

  /** SIGKILL: the worker's invocation (if any) fails as crashed. */
  kill(id: number, reason: string): boolean {
    const worker = this.#workers.get(id);
    if (!worker || worker.dead) return false;
    this.kills.set(reason, (this.kills.get(reason) ?? 0) + 1);
    this.killLog.push({ worker: id, at: Date.now(), reason });
    worker.dead = true;
    worker.child.kill('SIGKILL');
    this.#finish(worker, { kind: 'crashed', reason });
    return true;
  }

  /** Kills one busy worker chosen by `pick` (a random SIGKILL mid-invocation). */
  killBusy(pick: (ids: number[]) => number, reason: string): boolean {
    const busy = [...this.#workers.values()].filter((w) => w.busy && !w.dead).map((w) => w.id);
    return busy.length > 0 && this.kill(pick(busy), reason);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const worker of this.#workers.values()) {
      worker.dead = true;
      worker.child.kill('SIGKILL');
    }
    this.#workers.clear();
  }

  #spawn(): void {
    if (this.#closed) return;
    const id = this.#nextId++;
    const log = openSync(join(this.options.logDir, `worker-${id}.log`), 'a');
    const child = spawn(process.execPath, [this.options.script, this.options.entry], {
      env: this.options.env(id),
      stdio: ['ignore', log, log, 'ipc'],
    });
    closeSync(log);
    let ready: () => void = () => {};
    const worker: Worker = { id, child, ready: new Promise<void>((r) => (ready = r)), dead: false };
    this.#workers.set(id, worker);
    if (id > this.options.size) this.coldStarts += 1;
    child.on('message', (message: { ready?: boolean; ok?: boolean; response?: unknown; error?: string }) => {
      if (message.ready) {
        ready();
        this.#release(worker);
        return;
      }
      this.#finish(
        worker,
        message.ok
          ? { kind: 'ok', response: message.response }
          : { kind: 'error', error: message.error ?? 'error' },
      );
      this.#release(worker);
    });
    // Writing to a worker that was just killed fails (EPIPE): its invocation ends as crashed.
    child.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      if (!worker.dead) {
        // Not killed by the storm: the worker died of something else (counted apart, it is no planned crash).
        const reason = `exited (${signal ?? `code ${code}`})`;
        worker.dead = true;
        this.kills.set(reason, (this.kills.get(reason) ?? 0) + 1);
        this.killLog.push({ worker: id, at: Date.now(), reason });
        this.#finish(worker, { kind: 'crashed', reason });
      }
      this.#workers.delete(id);
      this.#spawn();
    });
  }

  #finish(worker: Worker, result: InvokeResult): void {
    const busy = worker.busy;
    if (!busy) return;
    worker.busy = undefined;
    clearTimeout(busy.timer);
    busy.resolve(result);
  }

  #release(worker: Worker): void {
    if (worker.dead || worker.busy) return;
    const next = this.#waiting.shift();
    if (next) next(worker);
    else (worker as Worker & { idle?: boolean }).idle = true;
  }

  #idle(): Promise<Worker> {
    for (const worker of this.#workers.values()) {
      const w = worker as Worker & { idle?: boolean };
      if (w.idle && !w.dead && !w.busy) {
        w.idle = false;
        return Promise.resolve(w);
      }
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
}
