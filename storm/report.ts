import type { StormRun } from './figures';

/** The lines `npm run storm` prints: each invariant with its count, and the last line the issue asks for. */
export function summaryLines(run: StormRun): string[] {
  const lines = run.invariants.map((inv) => {
    const mark = inv.broken === 0 ? 'ok  ' : 'FAIL';
    const note = inv.note ? ` (${inv.note})` : '';
    return `${mark} ${inv.name}: ${inv.checked - inv.broken}/${inv.checked}${inv.broken ? `, ${inv.broken} broken` : ''}${note}`;
  });
  for (const inv of run.invariants)
    for (const example of inv.examples) lines.push(`     ${inv.name.split(':')[0]}: ${example}`);
  lines.push(lastLine(run));
  return lines;
}

export function lastLine(run: StormRun): string {
  const by = (prefix: string) => run.invariants.find((inv) => inv.name.startsWith(prefix))?.broken ?? 0;
  const f = run.figures;
  return `storm: ${f.events} events, ${f.faultCount} faults, ${f.crashCount} crashes: lost ${by('no event lost')}, duplicate updates ${by('no update was issued')}, unrecorded remediations ${by('every update the guard issued has exactly one')}, converged ${run.converged.ok}/${run.converged.of}`;
}

export function brokenCount(run: StormRun): number {
  return run.invariants.reduce((sum, inv) => sum + inv.broken, 0);
}
