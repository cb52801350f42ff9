/**
 * Everything a benchmark starts (the emulator, the proxy, child processes) registers how to stop
 * it here: the runner calls runCleanup() in a finally block and on SIGINT, SIGTERM and SIGHUP.
 */
type Task = () => unknown;

const tasks = new Map<number, { label: string; task: Task }>();
let nextId = 0;

/** Registers a stop action; call the returned function once the resource is stopped normally. */
export function onCleanup(label: string, task: Task): () => void {
  const id = nextId++;
  tasks.set(id, { label, task });
  return () => {
    tasks.delete(id);
  };
}

/** Runs every registered stop action, newest first; each is bounded to 5 s. */
export async function runCleanup(): Promise<void> {
  const pending = [...tasks.entries()].reverse();
  tasks.clear();
  for (const [, { label, task }] of pending) {
    try {
      await Promise.race([
        Promise.resolve().then(task),
        new Promise((resolve) => setTimeout(resolve, 5000).unref()),
      ]);
    } catch (error) {
      process.stderr.write(`cleanup of ${label} failed: ${(error as Error).message}\n`);
    }
  }
}

let installed = false;

/** Stops everything on Ctrl-C or termination, then exits with the conventional code. */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  for (const signal of Object.keys(codes) as (keyof typeof codes)[]) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the emulator, the proxy and child processes…\n`);
      void runCleanup().finally(() => process.exit(codes[signal]));
    });
  }
}
