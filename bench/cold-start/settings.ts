import { join } from 'node:path';
import { ROOT } from '../lib/env';

/** What the phases of the cold-start benchmark share: the entry bundled, the events handled, the targets. */

export const ENTRY = join(ROOT, 'functions', 'remediator', 'handler.ts');
export const NO_OP_EVENT = join(ROOT, 'events', 'update-config-failed.json');
export const CHANGE_EVENT = join(ROOT, 'events', 'update-config-open-world.json');
export const INIT_TARGET_MS = 30;
export const SIZE_TARGET_BYTES = 250_000;
/** The NODE_OPTIONS the stack sets on the function. */
export const MAPS = '--enable-source-maps';
