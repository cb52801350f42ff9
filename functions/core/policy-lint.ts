import { findNodeAtLocation, type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import type * as z from 'zod/mini';
import { cidrWithin } from './cidr';
import { type Policy, PolicySchema } from './policy';
import { quote as show } from './quote';

/**
 * `policy validate`, offline and pure: every syntax error with its line and column, every schema
 * issue with its field path, and lint warnings about policies that are valid but probably not what
 * their author meant. The clock is passed in.
 */
export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  /** `syntax`, `schema`, or the lint rule's name. */
  rule: string;
  /** `overrides[1].clusters[0]`; absent for syntax errors. */
  path?: string;
  /** 1-based position of the value (or of the nearest enclosing one). */
  line: number;
  column: number;
  message: string;
}

export interface LintResult {
  findings: Finding[];
  /** The validated policy, when there is no error. */
  policy?: Policy;
}

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

type Path = (string | number)[];

/** Validates and lints one policy text. Never throws. */
export function lintPolicy(text: string, now: Date): LintResult {
  const at = positions(text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  if (errors.length > 0 || !root) {
    // A fault often yields two errors at one place (a trailing comma: no name, no value): keep the first.
    const distinct = errors.filter((e, i) => errors.findIndex((other) => other.offset === e.offset) === i);
    const findings = distinct.map((e) => ({
      severity: 'error' as const,
      rule: 'syntax',
      ...at(e.offset),
      message: syntaxMessage(printParseErrorCode(e.error), text, e.offset),
    }));
    if (findings.length === 0)
      findings.push({ severity: 'error', rule: 'syntax', ...at(0), message: 'empty' });
    return { findings };
  }
  let data: unknown;
  try {
    // What the guard itself parses: anything JSON.parse refuses is refused here too.
    data = JSON.parse(text);
  } catch (error) {
    return {
      findings: [{ severity: 'error', rule: 'syntax', ...at(0), message: oneLine((error as Error).message) }],
    };
  }

  const locate = (path: Path): { line: number; column: number } => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? root : findNodeAtLocation(root, path.slice(0, depth));
      if (node) return at(node.offset);
    }
    return at(0);
  };
  const finding = (severity: Severity, rule: string, path: Path, message: string): Finding => ({
    severity,
    rule,
    ...(path.length > 0 ? { path: formatPath(path) } : {}),
    ...locate(path),
    message,
  });

  const findings = duplicateKeys(root).map((node) => ({
    ...finding(
      'warning',
      'duplicate-key',
      pathOf(node),
      'appears more than once in its object: the last one wins',
    ),
    ...at(node.offset),
  }));
  const parsed = PolicySchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const path = [...pathKeys(issue.path), key];
          // At the key itself, not its value: the key is what is wrong.
          const name = findNodeAtLocation(root, path)?.parent?.children?.[0];
          findings.push({
            ...finding('error', 'schema', path, `unknown field ${show(key)}`),
            ...(name ? at(name.offset) : {}),
          });
        }
      } else {
        findings.push(finding('error', 'schema', pathKeys(issue.path), describeIssue(issue)));
      }
    }
    return { findings: sortFindings(findings) };
  }
  const warn = (rule: LintRule, path: Path, message: string) =>
    findings.push(finding('warning', rule, path, message));
  lintRules(parsed.data, data as Record<string, unknown>, now, warn);
  return { findings: sortFindings(findings), policy: parsed.data };
}

type Warn = (rule: LintRule, path: Path, message: string) => void;

function lintRules(policy: Policy, raw: Record<string, unknown>, now: Date, warn: Warn): void {
  lintExemptions(policy, now, warn);
  lintOverrides(policy, raw, warn);
  lintCidrLists(policy, warn);
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
function duplicateKeys(root: Node): Node[] {
  const found: Node[] = [];
  const visit = (node: Node) => {
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const property of node.children ?? []) {
        const key = property.children?.[0];
        if (key && seen.has(String(key.value))) found.push(key);
        if (key) seen.add(String(key.value));
      }
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(root);
  return found;
}

/** The JSON path of a property key node. */
function pathOf(key: Node): Path {
  const path: Path = [];
  let node: Node | undefined = key.parent;
  while (node?.parent) {
    const parent: Node = node.parent;
    if (node.type === 'property') path.unshift(String(node.children?.[0]?.value));
    else if (parent.type === 'array') path.unshift(parent.children?.indexOf(node) ?? 0);
    node = parent;
  }
  return path;
}

function pathKeys(path: PropertyKey[]): Path {
  return path.map((key) => (typeof key === 'number' ? key : String(key)));
}

export function formatPath(path: Path): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text ? `${text}.${key}` : key;
  }, '');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      if (issue.input === undefined) return 'is required';
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}, got ${show(issue.input)}`;
    case 'invalid_type':
      return issue.input === undefined
        ? 'is required'
        : `expected ${issue.expected}, got ${show(issue.input)}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `needs at least ${issue.minimum} entr${issue.minimum === 1 ? 'y' : 'ies'}`
        : 'must not be empty';
    case 'too_big':
      return issue.origin === 'array'
        ? `has more than ${issue.maximum} entries`
        : `is longer than ${issue.maximum}`;
    case 'invalid_format':
      return issue.format === 'date' ? `expected a date YYYY-MM-DD, got ${show(issue.input)}` : issue.message;
    default:
      return issue.message;
  }
}

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'expected the end of the document',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

function syntaxMessage(code: string, text: string, offset: number): string {
  const message = SYNTAX_MESSAGES[code] ?? code;
  if (offset >= text.length) return `${message}, found the end of the file`;
  const found = text.slice(offset).match(/^(\S{1,20})/)?.[1];
  return found ? `${message}, found ${show(found)}` : message;
}

/** Offset → 1-based line and column (columns count UTF-16 units, as editors do). */
function positions(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
  };
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
