/**
 * Writes docs/guard-protection-scp.json: the protection SCP of a single-account guard with the CDK
 * bootstrap's roles as deployers, as `policy scp --protect-guard --json` prints it
 * (`npm run protect-guard-scp`). A test keeps the file equal to what the renderer says.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatPolicy, renderProtectionScp } from '../functions/core/protect-guard';

export const PROTECT_GUARD_SCP_FILE = path.join(__dirname, '..', 'docs', 'guard-protection-scp.json');

export function protectGuardScpText(): string {
  return `${formatPolicy(renderProtectionScp({ mode: 'single' }).document)}\n`;
}

if (require.main === module) writeFileSync(PROTECT_GUARD_SCP_FILE, protectGuardScpText());
