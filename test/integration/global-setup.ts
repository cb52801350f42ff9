import { writeFileSync } from 'node:fs';
import { EMULATOR_INSTALL_HINT, type Emulator, startEmulator } from '../../functions/cli/emulator';
import { EMULATOR_ENDPOINT_VARIABLE, endpointFile } from './emulator-endpoint';

declare global {
  // Shared with global-teardown.ts, which jest runs in the same context.
  var integrationEmulator: Emulator | undefined;
}

/**
 * One emulator for every integration test file. A missing moto_server fails the run: an
 * integration suite that skips itself silently would report success without testing anything.
 */
export default async function globalSetup(): Promise<void> {
  let emulator: Emulator;
  try {
    emulator = await startEmulator();
  } catch (error) {
    const message = (error as Error).message;
    const hint = message.includes(EMULATOR_INSTALL_HINT) ? '' : `; ${EMULATOR_INSTALL_HINT}`;
    // One line, no stack: the fix is in the message.
    const missing = new Error(`the integration tests need the local AWS emulator: ${message}${hint}`);
    missing.stack = missing.message;
    throw missing;
  }
  globalThis.integrationEmulator = emulator;
  // A crash before the teardown must not leave the emulator running.
  process.once('exit', () => {
    try {
      process.kill(emulator.pid);
    } catch {
      // Already stopped.
    }
  });
  process.env[EMULATOR_ENDPOINT_VARIABLE] = emulator.endpoint;
  writeFileSync(endpointFile(), emulator.endpoint);

  // The CLI tests run the bundle: build it once here rather than in racing child processes.
  const { ensureFresh } = require('../../scripts/cli-bundle.cjs') as { ensureFresh: () => boolean };
  ensureFresh();
}
