import { cidrProblem } from '../cidr';
import { EKS_DEFAULT_PUBLIC_CIDRS } from '../endpoint';
import { quote } from '../quote';
import type { Setting } from './cluster';
import { type Candidate, type ResolveContext, type Resolved, resolveValue } from './intrinsics';
import type { Position } from './source';
import { isRecord } from './source';

/**
 * Reading one endpoint setting from CloudFormation properties (a template's, or the resolved ones
 * a hook receives). CloudFormation accepts the strings "true" and "false" for booleans, and a
 * change set or a custom resource passes every boolean as a string: so does this.
 */

/** A property as found: absent, written (`raw`), or inside a parent known only at deploy. */
export type Found =
  | { present: false }
  | { present: true; raw: unknown }
  | { present: 'unknown'; expression: string };

/** The member `key` of `parent`, resolving the parent itself when it is an expression (a whole `!If` block). */
export function member(parent: Found, key: string, context: ResolveContext): Found {
  if (parent.present !== true) return parent;
  const resolved = resolveValue(parent.raw, context);
  if (resolved.kind === 'unknown') return { present: 'unknown', expression: resolved.expression };
  if (resolved.kind === 'absent' || !isRecord(resolved.value) || !Object.hasOwn(resolved.value, key)) {
    return { present: false };
  }
  return { present: true, raw: resolved.value[key] };
}

type Coerced<T> = { ok: true; value: T } | { ok: false; why: string };

/** `fallback`: the EKS default, which an `AWS::NoValue` branch of an `!If` stands for. */
export function booleanSetting(
  found: Found,
  context: ResolveContext,
  fallback: boolean,
  at?: Position,
): Setting<boolean> {
  return settingOf(found, context, at, toBoolean, fallback);
}

export function cidrListSetting(found: Found, context: ResolveContext, at?: Position): Setting<string[]> {
  return settingOf(found, context, at, toCidrList, [...EKS_DEFAULT_PUBLIC_CIDRS]);
}

function settingOf<T>(
  found: Found,
  context: ResolveContext,
  at: Position | undefined,
  coerce: (value: unknown) => Coerced<T>,
  fallback: T,
): Setting<T> {
  const where = at ? { at } : {};
  if (found.present === false) return { state: 'absent', ...where };
  if (found.present === 'unknown') return { state: 'unknown', expression: found.expression, ...where };
  const resolved: Resolved = resolveValue(found.raw, context);
  if (resolved.kind === 'absent') return { state: 'absent', ...where };
  if (resolved.kind === 'known') {
    const value = coerce(resolved.value);
    if (!value.ok) return { state: 'invalid', written: quote(resolved.value), why: value.why, ...where };
    return { state: 'set', value: value.value, ...(resolved.via ? { via: resolved.via } : {}), ...where };
  }
  const candidates = resolved.candidates?.map((candidate) => candidateOf(candidate, coerce, fallback));
  const usable = candidates?.every((c) => c !== undefined) ? (candidates as T[]) : undefined;
  return {
    state: 'unknown',
    expression: resolved.expression,
    ...(usable ? { candidates: usable } : {}),
    ...where,
  };
}

/** A candidate value (an `AWS::NoValue` branch is the default); undefined when it is not a valid value. */
function candidateOf<T>(
  candidate: Candidate,
  coerce: (value: unknown) => Coerced<T>,
  fallback: T,
): T | undefined {
  if (candidate.absent) return fallback;
  const value = coerce(candidate.value);
  return value.ok ? value.value : undefined;
}

export function toBoolean(value: unknown): Coerced<boolean> {
  if (typeof value === 'boolean') return { ok: true, value };
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
    return { ok: true, value: value.trim().toLowerCase() === 'true' };
  }
  return { ok: false, why: 'not true or false' };
}

export function toCidrList(value: unknown): Coerced<string[]> {
  if (!Array.isArray(value)) return { ok: false, why: 'not a list of CIDR blocks' };
  for (const item of value) {
    if (typeof item !== 'string') return { ok: false, why: `${quote(item)} is not a CIDR block` };
    const problem = cidrProblem(item.trim());
    if (problem) return { ok: false, why: problem };
  }
  return { ok: true, value: value.map((item) => (item as string).trim()) };
}

/** A text value known before deploy (a name, a tag value), or undefined. */
export function knownText(
  found: Found,
  context: ResolveContext,
): { value: string; via?: string } | undefined {
  if (found.present !== true) return undefined;
  const resolved = resolveValue(found.raw, context);
  if (resolved.kind !== 'known') return undefined;
  if (typeof resolved.value !== 'string' && typeof resolved.value !== 'number') return undefined;
  return { value: String(resolved.value), ...(resolved.via ? { via: resolved.via } : {}) };
}

/** How a name or tag was written, for the note that says why it is not used. */
export function writtenAs(found: Found, context: ResolveContext): string | undefined {
  if (found.present === 'unknown') return found.expression;
  if (found.present !== true) return undefined;
  const resolved = resolveValue(found.raw, context);
  return resolved.kind === 'unknown' ? resolved.expression : undefined;
}
