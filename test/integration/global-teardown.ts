import { rmSync } from 'node:fs';
import { endpointFile } from './emulator-endpoint';

export default async function globalTeardown(): Promise<void> {
  await globalThis.integrationEmulator?.stop();
  globalThis.integrationEmulator = undefined;
  rmSync(endpointFile(), { force: true });
}
