import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { MAX_DEPTH } from './json-source';
import { type DocPath, IacInputError, type Position, pathKey, type SourceDoc } from './source';

/** CloudFormation's short-form functions: `!Sub x` is `{ "Fn::Sub": x }`. */
const FUNCTIONS = new Set([
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'ToJsonString',
  'Length',
]);

/**
 * A CloudFormation template written in YAML, with the short-form tags (`!Ref`, `!Sub`, `!GetAtt`
 * ...) read as their long form and the position of every member. What CloudFormation refuses is
 * refused here: aliases (`*name`), unknown tags, more than one document. Throws IacInputError.
 */
export function yamlSource(text: string, file: string): SourceDoc {
  const lines = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    throw new IacInputError(file, `invalid YAML: ${(error as Error).message}`, undefined, { cause: error });
  }
  const error = doc.errors[0];
  if (error) {
    const at = lines.linePos(error.pos[0]);
    throw new IacInputError(file, `invalid YAML: ${firstLine(error.message)}`, {
      line: at.line,
      column: at.col,
    });
  }
  const span = (range: readonly number[] | null | undefined): Position | undefined => {
    if (!range) return undefined;
    const from = lines.linePos(range[0] ?? 0);
    const to = lines.linePos(range[1] ?? range[0] ?? 0);
    return { line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
  };
  const fail = (node: Node | null | undefined, fault: string): never => {
    const at = span(node?.range);
    throw new IacInputError(file, fault, at && { line: at.line, column: at.column });
  };

  const positions = new Map<string, Position>();
  const convert = (node: unknown, path: (string | number)[]): unknown => {
    if (node === null || node === undefined) return null;
    if (path.length > MAX_DEPTH) fail(node as Node, `nested deeper than ${MAX_DEPTH} levels`);
    if (isAlias(node)) fail(node, `CloudFormation does not support YAML aliases (*${node.source})`);
    const typed = node as Node;
    let value: unknown;
    if (isMap(typed)) {
      const object: Record<string, unknown> = {};
      for (const pair of typed.items) {
        const key = pair.key;
        if (!isScalar(key) || (typeof key.value !== 'string' && typeof key.value !== 'number')) {
          return fail(key as Node, 'a mapping key must be a plain string');
        }
        const name = String(key.value);
        if (name === '<<') fail(key, 'CloudFormation does not support YAML merge keys (<<)');
        const at = span(key.range);
        if (at) positions.set(pathKey([...path, name]), at);
        object[name] = convert(pair.value, [...path, name]);
      }
      value = object;
    } else if (isSeq(typed)) {
      value = typed.items.map((item, i) => {
        const at = span((item as Node | null)?.range);
        if (at) positions.set(pathKey([...path, i]), at);
        return convert(item, [...path, i]);
      });
    } else if (isScalar(typed)) {
      value = typed.value;
    } else {
      return fail(typed, 'unsupported YAML node');
    }
    return withTag(typed.tag, value, typed, fail);
  };

  const contents = doc.contents as Node | null;
  const root = span(contents?.range);
  if (root) positions.set(pathKey([]), root);
  const value = convert(contents, []);
  return { value, at: (path: DocPath) => positions.get(pathKey(path)) };
}

/** `!Ref x` → `{ Ref: x }`, `!GetAtt A.B` → `{ "Fn::GetAtt": ["A", "B"] }`, `!Sub x` → `{ "Fn::Sub": x }`. */
function withTag(
  tag: string | undefined,
  value: unknown,
  node: Node,
  fail: (node: Node, fault: string) => never,
): unknown {
  if (tag === undefined || tag.startsWith('tag:yaml.org,2002:')) return value;
  const name = tag.startsWith('!') ? tag.slice(1) : tag;
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  if (FUNCTIONS.has(name)) return { [`Fn::${name}`]: value };
  return fail(node, `unknown tag ${tag}: not a CloudFormation function`);
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).replace(/ at line \d+, column \d+:?$/, '').trim();
}
