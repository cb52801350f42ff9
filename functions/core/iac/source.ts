/**
 * A parsed infrastructure-as-code document: its value as plain data (CloudFormation short-form tags
 * turned into their long form) and where each part of it was written, so that findings can name
 * FILE:LINE:COLUMN.
 */

/** 1-based; the end column is the one after the last character, as SARIF counts it. */
export interface Position {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A path into the document: object keys and array indexes. */
export type DocPath = readonly (string | number)[];

export interface SourceDoc {
  value: unknown;
  /** Where the member at `path` was written: the key of an object member, else the value itself. */
  at(path: DocPath): Position | undefined;
}

/** An input that cannot be read: the message is one line, with the position when the format has one. */
export class IacInputError extends Error {
  override readonly name = 'IacInputError';
  constructor(
    readonly file: string,
    readonly fault: string,
    readonly position?: { line: number; column: number },
    options?: { cause?: unknown },
  ) {
    super(`${file}${position ? `:${position.line}:${position.column}` : ''}: ${fault}`, options);
  }
}

/** The position of the characters from `start` to `end` (exclusive). */
export function spanOf(
  index: (offset: number) => { line: number; column: number },
  start: number,
  end: number,
): Position {
  const from = index(start);
  const to = index(Math.max(start, end));
  return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
}

/** A key for a path in a map of positions. */
export function pathKey(path: DocPath): string {
  return JSON.stringify(path);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path`, or undefined. */
export function valueAt(value: unknown, path: DocPath): unknown {
  let node = value;
  for (const key of path) {
    if (typeof key === 'number') node = Array.isArray(node) ? node[key] : undefined;
    else node = isRecord(node) && Object.hasOwn(node, key) ? node[key] : undefined;
  }
  return node;
}
