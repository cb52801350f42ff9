import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './env';

export const DOC = join(ROOT, 'docs', 'BENCHMARKS.md');

/** Sections in the order they appear in the document. */
export const SECTIONS = ['cold-start', 'per-event', 'sweep-scale', 'realistic-latency'] as const;
export type SectionName = (typeof SECTIONS)[number];

const HEADER = `# Benchmarks

Figures written by \`npm run bench\` (each benchmark rewrites its own section; \`npm run bench -- --only <name>\`
runs one, \`--quick\` a shorter version for CI). Every figure is the median of several runs with its spread.
AWS is the local emulator (moto_server) on a loopback port, with dummy credentials: absolute numbers
say more about this machine and the emulator than about AWS, and the method under each table says what is
real and what is faked. kB = 1,000 bytes, MB = 1,000,000 bytes.
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

/** Replaces (or inserts, in section order) the marked section `name` of docs/BENCHMARKS.md. */
export function writeSection(name: SectionName, markdown: string): void {
  let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : HEADER;
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
