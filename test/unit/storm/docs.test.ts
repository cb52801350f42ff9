import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStormDoc } from '../../../storm/docs';
import type { StormRun } from '../../../storm/figures';
import { PRESETS } from '../../../storm/options';
import { stormPlan } from '../../../storm/plan';
import { Random } from '../../../storm/random';

const OPTIONS = { quick: false, ...PRESETS.full, seed: 7, writeDocs: true };
const RUN: StormRun = {
  options: OPTIONS,
  plan: stormPlan(OPTIONS, 300, new Random(1)),
  invariants: [
    { name: 'every cluster compliant, or its reason recorded', checked: 40, broken: 0, examples: [] },
    {
      name: 'no event lost: each has a decision or is in a dead-letter queue',
      checked: 900,
      broken: 0,
      examples: [],
    },
  ],
  converged: { ok: 40, of: 40 },
  figures: {
    events: 900,
    cloudTrailEvents: 500,
    sweeps: 30,
    queueMessages: 370,
    duplicateDeliveries: 70,
    retries: 12,
    invocations: 1200,
    faults: { throttle: 80, 'eks:throttle': 30, 'dynamodb:throttle': 50 },
    faultCount: 80,
    crashes: { random: 5 },
    crashCount: 5,
    coldStarts: 5,
    guardUpdates: 60,
    personUpdates: 200,
    resourceInUse: 9,
    alreadyAtTarget: 3,
    decisions: 1500,
    alerts: 120,
    actions: { open: 200, close: 70, exempt: 40, unexempt: 40, tag: 40, policy: 25, sweep: 30 },
    deadLettered: { events: 0, messages: 0 },
    stormSeconds: 240,
    quietSeconds: 40,
    totalSeconds: 300,
    invocationsPerSecond: 4.3,
    decisionsPerSecond: 5.4,
  },
};

describe('the figures of docs/STORM.md', () => {
  it('are written between their markers, with the run, the faults, each invariant and the last line', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'storm-doc-'));
    const file = join(dir, 'STORM.md');
    writeFileSync(
      file,
      'people wrote this\n<!-- storm:figures:begin -->\nold\n<!-- storm:figures:end -->\nand this\n',
    );

    // Act
    writeStormDoc(RUN, '2026-12-06', file);

    // Assess
    const doc = readFileSync(file, 'utf8');
    rmSync(dir, { recursive: true, force: true });
    expect(doc.startsWith('people wrote this\n<!-- storm:figures:begin -->\n## The last full storm')).toBe(
      true,
    );
    expect(doc.endsWith('<!-- storm:figures:end -->\nand this\n')).toBe(true);
    expect(doc).not.toContain('\nold\n');
    expect(doc).toContain('--seed 7');
    expect(doc).toContain('| dynamodb | 50 | 0 | 0 | 0 | 0 |');
    expect(doc).toContain(
      '| no event lost: each has a decision or is in a dead-letter queue | 900 of 900 | 0 |',
    );
    expect(doc).toContain(
      '`storm: 900 events, 80 faults, 5 crashes: lost 0, duplicate updates 0, unrecorded remediations 0, converged 40/40`',
    );
  });

  it('refuse a page without the markers', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'storm-doc-'));
    const file = join(dir, 'STORM.md');
    writeFileSync(file, 'no markers\n');

    // Act
    const write = () => writeStormDoc(RUN, '2026-12-06', file);

    // Assess
    expect(write).toThrow(/has no <!-- storm:figures:begin -->/);
    rmSync(dir, { recursive: true, force: true });
  });
});
