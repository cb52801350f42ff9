import { createHash } from 'node:crypto';

/**
 * One text per value, whatever order its keys were stored or read in: object keys sorted at every
 * depth, sets as sorted arrays, binary as base64. What a record's hash is computed over.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
  if (value instanceof Uint8Array) return { $binary: Buffer.from(value).toString('base64') };
  if (value instanceof Set) {
    return { $set: [...value].map(canonical).sort((a, b) => compare(JSON.stringify(a), JSON.stringify(b))) };
  }
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonical(v)));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compare)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = canonical(v);
  }
  return out;
}

/** Code-unit order, the same on every machine and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `sha256:<hex>` of a text's UTF-8 bytes. */
export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}
