import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { awsEnv, NOWHERE, ROOT, tmpDir } from '../lib/env';
import { kb } from '../lib/stats';
import type { Built } from './bundling';

/** Full run: `cdk synth` and compare the function asset with our bundle, byte for byte. */
export function compareWithSynth(ours: Built, log: (text: string) => void): string {
  const outdir = tmpDir('cold-start', 'synth');
  rmSync(outdir, { recursive: true, force: true });
  log('  cdk synth (to compare the function asset with this bundle)…');
  const synth = spawnSync('npx', ['cdk', 'synth', '-q', '-o', outdir], {
    cwd: ROOT,
    env: awsEnv(NOWHERE),
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (synth.status !== 0) {
    return `could not compare: cdk synth failed (${synth.stderr.trim().split('\n').pop()})`;
  }
  const assets = readdirSync(outdir)
    .filter((name) => name.startsWith('asset.'))
    .map((name) => join(outdir, name, 'index.js'))
    .filter((file) => existsSync(file));
  const same = assets.some(
    (file) => createHash('sha256').update(readFileSync(file)).digest('hex') === ours.sha256,
  );
  const size = assets.map((file) => statSync(file).size).sort((a, b) => b - a)[0] ?? 0;
  rmSync(outdir, { recursive: true, force: true });
  return same
    ? `identical to the \`cdk synth\` asset (sha256 ${ours.sha256.slice(0, 12)}…)`
    : `differs from the \`cdk synth\` asset (largest asset ${kb(size)}): the options here no longer match the stack`;
}
