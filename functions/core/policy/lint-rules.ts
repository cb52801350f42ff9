import { cidrWithin } from '../cidr';
import { DEFER_MINUTES_WITHOUT_GRACE } from '../clients/types';
import { quote as show } from '../quote';
import type { Policy } from './policy';

/** The lint rules of `policy validate`: a valid policy that is probably not what its author meant. */
export const LINT_RULES = [
  'exemption-expired',
  'exemption-expiring',
  'override-shadowed',
  'override-no-change',
  'restricted-open-world',
  'private-range',
  'cidrs-unused',
  'cidr-duplicate',
  'cidr-nested',
  'duplicate-key',
  'clients-defer-notify',
  'clients-defer-no-grace',
] as const;
export type LintRule = (typeof LINT_RULES)[number];

/** An exemption that ends within this many days is worth a warning. */
export const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

/** Requests to a public endpoint never come from these: listing them is a mistake. */
export const NON_PUBLIC_RANGES: Record<string, string> = {
  '10.0.0.0/8': 'private (RFC 1918)',
  '172.16.0.0/12': 'private (RFC 1918)',
  '192.168.0.0/16': 'private (RFC 1918)',
  '100.64.0.0/10': 'shared address space (RFC 6598)',
  'fc00::/7': 'unique local IPv6 (RFC 4193)',
};

export type Path = (string | number)[];
export type Warn = (rule: LintRule, path: Path, message: string) => void;

export function lintRules(policy: Policy, raw: Record<string, unknown>, now: Date, warn: Warn): void {
  lintExemptions(policy, now, warn);
  lintOverrides(policy, raw, warn);
  lintCidrLists(policy, warn);
  lintActiveClients(policy, warn);
}

function lintActiveClients(policy: Policy, warn: Warn): void {
  if (policy.protectActiveClients !== 'defer') return;
  if (policy.mode === 'notify') {
    warn(
      'clients-defer-notify',
      ['protectActiveClients'],
      '"defer" changes nothing in notify mode, where the guard never changes a cluster: the clients are named either way',
    );
  } else if (policy.gracePeriodMinutes === 0) {
    warn(
      'clients-defer-no-grace',
      ['protectActiveClients'],
      `gracePeriodMinutes is 0, so "defer" waits ${DEFER_MINUTES_WITHOUT_GRACE} minutes before cutting off active clients: set gracePeriodMinutes to choose how long`,
    );
  }
}

function lintExemptions(policy: Policy, now: Date, warn: Warn): void {
  policy.exemptions.forEach((exemption, index) => {
    const expires: unknown = exemption.expires;
    if (typeof expires !== 'string') return;
    const end = endOf(expires);
    if (end === undefined) return;
    const path = ['exemptions', index, 'expires'];
    const who = show(exemption.cluster);
    if (end <= now.getTime()) {
      warn('exemption-expired', path, `the exemption of ${who} expired on ${expires}: it no longer applies`);
    } else if (end - now.getTime() <= EXPIRY_WARNING_DAYS * DAY_MS) {
      const days = Math.ceil((end - now.getTime()) / DAY_MS);
      warn(
        'exemption-expiring',
        path,
        `the exemption of ${who} ends ${days === 1 ? 'within a day' : `in ${days} days`} (${expires})`,
      );
    }
  });
}

/** A date names the last UTC day (ends at the next midnight); a date-time is the moment itself. */
function endOf(expires: string): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(expires)) return Date.parse(`${expires}T00:00:00Z`) + DAY_MS;
  const time = Date.parse(expires);
  return Number.isNaN(time) ? undefined : time;
}

const OVERRIDE_RULE_FIELDS = new Set(['clusters', 'publicAccess', 'allowedPublicCidrs', 'privateAccess']);

function lintOverrides(policy: Policy, raw: Record<string, unknown>, warn: Warn): void {
  const rawOverrides = Array.isArray(raw.overrides) ? (raw.overrides as Record<string, unknown>[]) : [];
  policy.overrides.forEach((override, index) => {
    override.clusters.forEach((glob, globIndex) => {
      for (let earlier = 0; earlier < index; earlier++) {
        const winner = policy.overrides[earlier]?.clusters.find((other) => globCovers(other, glob));
        if (winner !== undefined) {
          warn(
            'override-shadowed',
            ['overrides', index, 'clusters', globIndex],
            `${show(glob)} is matched first by ${show(winner)} in overrides[${earlier}]: this override never applies to it`,
          );
          return;
        }
      }
    });
    // A field this version does not know (say, a grace period) may change something: say nothing.
    const fields = Object.keys(rawOverrides[index] ?? {});
    if (fields.some((field) => !OVERRIDE_RULE_FIELDS.has(field))) return;
    const publicAccess = override.publicAccess ?? policy.publicAccess;
    const sameCidrs =
      publicAccess !== 'restricted' ||
      sameSet(
        override.allowedPublicCidrs ?? policy.allowedPublicCidrs ?? [],
        policy.allowedPublicCidrs ?? [],
      );
    if (
      publicAccess === policy.publicAccess &&
      (override.privateAccess ?? policy.privateAccess) === policy.privateAccess &&
      sameCidrs
    ) {
      warn(
        'override-no-change',
        ['overrides', index],
        'this override sets the same rules as the top level: it changes nothing',
      );
    }
  });
}

function lintCidrLists(policy: Policy, warn: Warn): void {
  const inheritsTop = policy.overrides.some(
    (o) => (o.publicAccess ?? policy.publicAccess) === 'restricted' && !o.allowedPublicCidrs,
  );
  if (policy.allowedPublicCidrs) {
    const used = policy.publicAccess === 'restricted' || inheritsTop;
    lintCidrList(policy.allowedPublicCidrs, ['allowedPublicCidrs'], used, policy.publicAccess, warn);
  }
  policy.overrides.forEach((override, index) => {
    if (!override.allowedPublicCidrs) return;
    const publicAccess = override.publicAccess ?? policy.publicAccess;
    const path = ['overrides', index, 'allowedPublicCidrs'];
    lintCidrList(override.allowedPublicCidrs, path, publicAccess === 'restricted', publicAccess, warn);
  });
}

function lintCidrList(cidrs: string[], path: Path, used: boolean, rule: string, warn: Warn): void {
  if (!used) {
    warn(
      'cidrs-unused',
      path,
      `publicAccess is ${show(rule)} here, so these CIDRs are never used (they apply to "restricted" only)`,
    );
  }
  cidrs.forEach((cidr, index) => {
    const at = [...path, index];
    if (used && /\/0$/.test(cidr)) {
      warn(
        'restricted-open-world',
        at,
        `${show(cidr)} is the whole internet: "restricted" to it is "allowed"; list the networks that need the endpoint`,
      );
    }
    const range = Object.keys(NON_PUBLIC_RANGES).find((block) => cidrWithin(cidr, block));
    if (range) {
      warn(
        'private-range',
        at,
        `${show(cidr)} lies in ${range}, ${NON_PUBLIC_RANGES[range]}: requests to a public endpoint never come from it`,
      );
    }
    const twin = cidrs.findIndex(
      (other, i) => i < index && cidrWithin(cidr, other) && cidrWithin(other, cidr),
    );
    if (twin >= 0) {
      warn('cidr-duplicate', at, `${show(cidr)} is already listed at ${formatPath([...path, twin])}`);
      return;
    }
    const outer = cidrs.findIndex(
      (other, i) => i !== index && cidrWithin(cidr, other) && !cidrWithin(other, cidr),
    );
    if (outer >= 0) {
      warn(
        'cidr-nested',
        at,
        `${show(cidr)} lies inside ${show(cidrs[outer] ?? '')} (${formatPath([...path, outer])}): it adds nothing`,
      );
    }
  });
}

/**
 * True when every name `inner` matches is matched by `outer` too. Sound, not complete: an outer
 * `*` covers any run of the inner glob, an outer `?` one literal or `?`, a literal only itself.
 */
export function globCovers(outer: string, inner: string): boolean {
  const memo = new Map<string, boolean>();
  const covers = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === outer.length) result = j === inner.length;
    else if (outer[i] === '*') result = covers(i + 1, j) || (j < inner.length && covers(i, j + 1));
    else if (j === inner.length) result = false;
    else if (outer[i] === '?') result = inner[j] !== '*' && covers(i + 1, j + 1);
    else result = outer[i] === inner[j] && covers(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return covers(0, 0);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

/** Keys that appear twice in one object: JSON.parse keeps the last silently. */

export function formatPath(path: Path): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text ? `${text}.${key}` : key;
  }, '');
}
