import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './env';

export const DOC = join(ROOT, 'docs', 'BENCHMARKS.md');

/** Sections in the order they appear in the document. */
export const SECTIONS = ['cold-start', 'cli-start', 'per-event', 'sweep-scale', 'realistic-latency'] as const;
export type SectionName = (typeof SECTIONS)[number];

const HEADER = `For contributors and operators: how fast and how large the guard is, measured on this project's machines.

# Benchmarks

Written by \`npm run bench\` (the code is in \`bench/\`): each benchmark prints its figures and rewrites its own
section below. \`npm run bench -- --only cold-start,per-event\` runs some of them, \`--quick\` a shorter version
(what CI runs, under 2 minutes), \`--no-docs\` leaves this file alone, and \`--profile\` makes every measured process
write a V8 CPU profile to \`.bench-tmp/profiles\`.

Every figure is a median with its spread (min–max, or p95 where said) over several runs; each section names
the machine, the Node version and the load average, because other work on the machine shows in the timings.
AWS is the local emulator (moto_server) on a loopback port with dummy credentials, nothing else: absolute
latencies say more about this machine and the emulator than about AWS, and the method under each table says
what is real and what is faked. kB = 1,000 bytes, MB = 1,000,000 bytes.
`;

export interface RunInfo {
  quick: boolean;
  date: string;
}

/** The machine and run a section was measured on, as a one-row table. */
export function environmentTable(run: RunInfo, extra: Record<string, string> = {}): string {
  const cpu = cpus();
  const model = cpu[0]?.model.trim() || 'unknown';
  const columns: Record<string, string> = {
    CPUs: String(cpu.length),
    'CPU model': model,
    Node: process.version,
    OS: `${type()} ${release()}`,
    Memory: `${Math.round(totalmem() / 1e9)} GB`,
    Run: `${run.quick ? 'quick' : 'full'}, ${run.date}`,
    // Other work on the machine shows here: the timings are only as quiet as the machine was.
    'Load avg 1/5/15 min (at the end)': loadavg()
      .map((l) => l.toFixed(1))
      .join(' / '),
    ...extra,
  };
  return table(Object.keys(columns), [Object.values(columns)]);
}

export function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

const begin = (name: string) => `<!-- bench:${name}:begin -->`;
const end = (name: string) => `<!-- bench:${name}:end -->`;

/** Replaces (or inserts, in section order) the marked section `name` of docs/BENCHMARKS.md, and the header. */
export function writeSection(name: SectionName, markdown: string): void {
  let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : HEADER;
  // The text before the first section is this file's header: kept in step with the code.
  const firstSection = Math.min(...SECTIONS.map((s) => doc.indexOf(begin(s))).filter((i) => i >= 0));
  doc = Number.isFinite(firstSection) ? `${HEADER}\n${doc.slice(firstSection)}` : HEADER;
  const block = `${begin(name)}\n${markdown.trim()}\n${end(name)}`;
  const start = doc.indexOf(begin(name));
  const stop = doc.indexOf(end(name));
  if (start >= 0 && stop > start) {
    doc = doc.slice(0, start) + block + doc.slice(stop + end(name).length);
  } else {
    // Before the first later section that is present, else at the end.
    const later = SECTIONS.slice(SECTIONS.indexOf(name) + 1)
      .map((s) => doc.indexOf(begin(s)))
      .filter((index) => index >= 0);
    const at = later.length > 0 ? Math.min(...later) : doc.length;
    const before = doc.slice(0, at).replace(/\s*$/, '\n\n');
    doc = `${before}${block}\n\n${doc.slice(at).replace(/^\s*/, '')}`;
  }
  writeFileSync(DOC, `${doc.replace(/\s*$/, '')}\n`);
}

/** What a benchmark receives from the runner. */
export interface BenchContext {
  quick: boolean;
  /** Write the section into docs/BENCHMARKS.md (off with --no-docs). */
  writeDocs: boolean;
  run: RunInfo;
  log(text: string): void;
}

export function publish(ctx: BenchContext, name: SectionName, markdown: string): void {
  process.stdout.write(`\n${markdown.trim()}\n\n`);
  if (ctx.writeDocs) {
    writeSection(name, markdown);
    ctx.log(`wrote the ${name} section of docs/BENCHMARKS.md`);
  }
}
