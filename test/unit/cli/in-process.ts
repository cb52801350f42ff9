import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { CliIo, Style } from '../../../functions/cli/io';
import { main } from '../../../functions/cli/main';

/** What one run of the command line wrote, and its exit code. */
export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  /** Standard input for `invoke -`: its text, or a stream; empty unless given. */
  stdin?: string | NodeJS.ReadableStream;
  /** Pretend stderr is a terminal, so that progress lines are drawn. */
  errIsTty?: boolean;
}

const PLAIN: Style = {
  bold: (text) => text,
  dim: (text) => text,
  outcome: (outcome, text) => text ?? outcome,
};

/**
 * Runs `eks-endpoint-guard <args>` in this process, through the same entry point as the bin, with
 * stdout and stderr captured (no colours, as on a pipe).
 */
export async function runInProcess(args: string[], options: InProcessOptions = {}): Promise<InProcessRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    errIsTty: options.errIsTty ?? false,
    style: PLAIN,
    stdin: typeof options.stdin === 'object' ? options.stdin : Readable.from([options.stdin ?? '']),
  };
  const code = await main(['node', 'eks-endpoint-guard', ...args], () => io);
  return { code, stdout, stderr };
}

/** Runs `act` with some environment variables set (a string) or removed (undefined), then puts them back. */
export async function withEnv<T>(
  changes: Record<string, string | undefined>,
  act: () => Promise<T>,
): Promise<T> {
  const saved = Object.fromEntries(Object.keys(changes).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(changes);
  try {
    return await act();
  } finally {
    apply(saved);
  }
}

/**
 * A policy command that must not reach AWS, run in this process: the endpoint is a closed local
 * port, so a regression that called AWS would fail with a connection error, not the expected output.
 */
export function runOffline(
  args: string[],
  options: { stdin?: string; env?: Record<string, string | undefined> } = {},
): Promise<InProcessRun> {
  return withEnv(
    {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      POLICY_PARAMETER_NAME: '/eks-endpoint-guard-unit/policy',
      TOPIC_ARN: undefined,
      RECHECK_QUEUE_URL: undefined,
      AUDIT_TABLE_NAME: undefined,
      GUARD_ROLE_ARN: undefined,
      ...options.env,
    },
    () => runInProcess(args, { stdin: options.stdin }),
  );
}

/** A temporary folder for a test file's inputs, removed after its tests. */
export function scratchFiles(prefix: string): {
  /** Writes one file (JSON unless a string) and returns its path. */
  file: (name: string, content: unknown) => string;
  /** The path a file of that name would have, written or not. */
  pathOf: (name: string) => string;
} {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pathOf = (name: string) => join(dir, name);
  return {
    pathOf,
    file: (name, content) => {
      const path = pathOf(name);
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return path;
    },
  };
}
