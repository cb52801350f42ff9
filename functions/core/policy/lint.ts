import { findNodeAtLocation, type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { type JsonFaultKind, jsonFault } from '../json-syntax';
import { lineIndex } from '../line-index';
import { quote as show } from '../quote';
import { formatPath, type LintRule, lintRules, type Path } from './lint-rules';
import { describeIssue } from './messages';
import { type Policy, PolicySchema } from './policy';

export {
  EXPIRY_WARNING_DAYS,
  formatPath,
  globCovers,
  LINT_RULES,
  type LintRule,
  NON_PUBLIC_RANGES,
} from './lint-rules';

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

/** Validates and lints one policy text. Never throws. */
export function lintPolicy(text: string, now: Date): LintResult {
  const at = lineIndex(text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  if (errors.length > 0 || !root) {
    // A fault often yields two errors at one place (a trailing comma: no name, no value): keep the first.
    const distinct = errors.filter((e, i) => errors.findIndex((other) => other.offset === e.offset) === i);
    const findings = distinct.map((e) => {
      const fault = jsonFault(SYNTAX_KINDS[printParseErrorCode(e.error)] ?? 'value', text, e.offset);
      return { severity: 'error' as const, rule: 'syntax', ...at(fault.offset), message: fault.message };
    });
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

/** The parser's error codes as the kinds of fault core/json-syntax.ts words. */
const SYNTAX_KINDS: Record<string, JsonFaultKind> = {
  InvalidSymbol: 'value',
  InvalidNumberFormat: 'number',
  PropertyNameExpected: 'name',
  ValueExpected: 'value',
  ColonExpected: 'colon',
  CommaExpected: 'comma',
  CloseBraceExpected: 'unclosed',
  CloseBracketExpected: 'unclosed',
  EndOfFileExpected: 'after-end',
  InvalidCommentToken: 'comment',
  UnexpectedEndOfComment: 'comment',
  UnexpectedEndOfString: 'string',
  UnexpectedEndOfNumber: 'number',
  InvalidUnicode: 'escape',
  InvalidEscapeCharacter: 'escape',
  InvalidCharacter: 'control',
};

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
