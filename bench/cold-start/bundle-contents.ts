import { relative } from 'node:path';
import { ROOT } from '../lib/env';
import { table } from '../lib/report';
import { kb } from '../lib/stats';
import type { Built } from './bundling';
import { ENTRY } from './settings';

/** What a bundle is made of, from its esbuild metafile: inputs and packages by bytes in the output. */

function entryOutput(built: Built) {
  return Object.values(built.metafile.outputs).find((o) => o.entryPoint !== undefined);
}

/** Bytes in the output per input file, largest first. */
export function topInputs(built: Built, count: number): { path: string; bytes: number }[] {
  return Object.entries(entryOutput(built)?.inputs ?? {})
    .map(([path, info]) => ({ path, bytes: info.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}

function packageOf(path: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path.slice(path.lastIndexOf('node_modules/')));
  return match?.[1] ?? (path.startsWith('functions/') ? 'functions/ (project code)' : path);
}

/** Output bytes per package, largest first, with the import chain that first pulls the package in. */
function topPackages(built: Built, count: number): { name: string; bytes: number; via: string }[] {
  const bytes = new Map<string, number>();
  for (const [path, info] of Object.entries(entryOutput(built)?.inputs ?? {})) {
    const name = packageOf(path);
    bytes.set(name, (bytes.get(name) ?? 0) + info.bytesInOutput);
  }
  // Breadth-first from the entry: the shortest import chain to each input.
  const entry = relative(ROOT, ENTRY);
  const parent = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const imported of built.metafile.inputs[current]?.imports ?? []) {
      if (imported.external || parent.has(imported.path)) continue;
      parent.set(imported.path, current);
      queue.push(imported.path);
    }
  }
  const via = (name: string): string => {
    const first = [...parent.keys()].find((path) => packageOf(path) === name);
    if (!first) return '';
    const chain: string[] = [];
    for (let at: string | undefined = first; at !== undefined; at = parent.get(at)) {
      const label = at.startsWith('functions/') ? at : packageOf(at);
      if (chain[0] !== label) chain.unshift(label);
    }
    return chain.join(' → ');
  };
  return [...bytes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, size]) => ({ name, bytes: size, via: via(name) }));
}

export function packageTable(built: Built, count: number): string {
  return table(
    ['package', 'bytes in output', 'share', 'pulled in by'],
    topPackages(built, count).map((p) => [
      `\`${p.name}\``,
      kb(p.bytes),
      `${((p.bytes / built.bytes) * 100).toFixed(1)} %`,
      p.via || '(the entry itself)',
    ]),
  );
}
