import { createHash } from 'node:crypto';

export const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
/** Loose on purpose: new partitions and regions appear; the SDK rejects what does not exist. */
export const REGION = /^[a-z]{2}[a-z0-9-]{2,30}$/;
export const ACCOUNT = /^\d{12}$/;
export const ID = /^[\x21-\x7e]{1,128}$/;
export const CHECKED_EVENTS = ['CreateCluster', 'UpdateClusterConfig', 'TagResource', 'UntagResource'];

// ---- small readers that never throw on odd input ----

export type Json = Record<string, unknown>;

export function record(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only: an input must not reach `constructor` or `__proto__` through the prototype. */
export function field(value: unknown, key: string): unknown {
  return record(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** An event, message or correlation id: printable and short, or it is not one (it ends up in keys and logs). */
export function identifier(value: unknown): string | undefined {
  return typeof value === 'string' && ID.test(value) ? value : undefined;
}

/** The first candidate that is a string matching the pattern. */
export function matching(pattern: RegExp, ...candidates: unknown[]): string | undefined {
  return candidates.find((c): c is string => typeof c === 'string' && pattern.test(c));
}

/** Drops undefined fields, so requests and items stay clean in logs and audit records. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Input quoted in a reason: one line, short. */
export function clip(value: string, max = 60): string {
  const line = value.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

/** A short stable id for input that carries none of its own. */
export function fingerprint(value: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = Object.prototype.toString.call(value);
  }
  return `sha256-${createHash('sha256').update(json).digest('hex').slice(0, 16)}`;
}
