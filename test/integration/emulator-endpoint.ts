import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How global-setup.ts hands the emulator's address to the test files (environment first, file second). */
export const EMULATOR_ENDPOINT_VARIABLE = 'EKS_ENDPOINT_GUARD_TEST_EMULATOR';

/** One file per jest run (the run's process id), so that parallel runs do not mix up emulators. */
export function endpointFile(pid = process.pid): string {
  return join(tmpdir(), `eks-endpoint-guard-emulator-${pid}.url`);
}

export function emulatorEndpoint(): string {
  const fromEnv = process.env[EMULATOR_ENDPOINT_VARIABLE];
  if (fromEnv) return fromEnv;
  const file = endpointFile(process.ppid);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  throw new Error('no emulator: run the integration tests through jest (--selectProjects integration)');
}
