import { lineIndex } from './line-index';
/**
 * JSON syntax faults in words a person can act on, with the place to look: "missing ',' after the
 * value at 3:28" rather than a parser's "expected ',' or '}' after property value". Pure; used for
 * policies (core/policy) and for the files the command line reads (cli/input.ts).
 */

/** What is wrong at a place of a JSON text. */
export type JsonFaultKind =
  | 'empty'
  | 'comma'
  | 'colon'
  | 'name'
  | 'value'
  | 'unclosed'
  | 'string'
  | 'control'
  | 'escape'
  | 'number'
  | 'comment'
  | 'after-end';

export interface JsonFault {
  /** Where to look: the character at fault (for a trailing comma, the comma itself). */
  offset: number;
  line: number;
  column: number;
  /** One line, in the project's words. */
  message: string;
}

/** The first syntax fault of `text`, or undefined when it is JSON (what JSON.parse accepts). */
export function firstJsonFault(text: string): JsonFault | undefined {
  if (text.trim() === '') return jsonFault('empty', text, 0);
  try {
    scan(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return jsonFault(error.kind, text, Math.min(error.offset, text.length), error.opened);
  }
}

/**
 * The fault of `kind` at `offset` in words. `opened` is where the string, object or array that is
 * not closed began (found from the text when not given).
 */
export function jsonFault(kind: JsonFaultKind, text: string, offset: number, opened?: number): JsonFault {
  const at = (o: number) => ({ offset: o, ...lineAndColumn(text, o) });
  const pos = (o: number) => {
    const { line, column } = lineAndColumn(text, o);
    return `${line}:${column}`;
  };
  const found = foundAt(text, offset);
  const previous = previousToken(text, offset);
  const char = text.charAt(offset);
  // A comma with nothing after it but the closing bracket: the commonest mistake of all.
  if ((kind === 'name' || kind === 'value') && previous !== undefined && text.charAt(previous) === ',') {
    if (char === '}' || char === ']') {
      return { ...at(previous), message: "trailing ',' after the last entry: JSON allows none, remove it" };
    }
  }
  if (char === "'" && (kind === 'name' || kind === 'value')) {
    return { ...at(offset), message: `strings and names need double quotes, found ${found}` };
  }
  if (char === '/' && (kind === 'name' || kind === 'value' || kind === 'comma' || kind === 'after-end')) {
    return { ...at(offset), message: 'comments are not allowed in JSON' };
  }
  // Cut short after a comma or an entry: what is missing is the end, not one more name.
  const cutShort = offset >= text.length && (kind === 'name' || kind === 'comma');
  switch (cutShort ? 'unclosed' : kind) {
    case 'empty':
      return { ...at(0), message: 'is empty' };
    case 'comma':
      return {
        ...at(offset),
        message:
          previous === undefined
            ? `missing ',' before ${found}`
            : `missing ',' after the value at ${pos(valueStart(text, previous))}, before ${found}`,
      };
    case 'colon':
      return { ...at(offset), message: `missing ':' after the name, before ${found}` };
    case 'name':
      return { ...at(offset), message: `expected a name in double quotes, found ${found}` };
    case 'value':
      return offset >= text.length
        ? { ...at(offset), message: 'the text ends where a value should be' }
        : {
            ...at(offset),
            message: `expected a value (a string in double quotes, a number, an object, a list, true, false or null), found ${found}`,
          };
    case 'unclosed': {
      const start = opened ?? openBracket(text, offset);
      const what =
        text.charAt(start) === '['
          ? `the list opened at ${pos(start)}`
          : `the object opened at ${pos(start)}`;
      return { ...at(offset), message: `${what} is not closed: the text ends first` };
    }
    case 'string':
      return { ...at(opened ?? offset), message: "this string is not closed: a '\"' is missing" };
    case 'control':
      return { ...at(offset), message: 'a line break or control character inside a string: write it as \\n' };
    case 'escape':
      return {
        ...at(offset),
        message: `${found} is not an escape JSON knows (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`,
      };
    case 'number':
      return { ...at(offset), message: `not a number JSON accepts, found ${found}` };
    case 'comment':
      return { ...at(offset), message: 'comments are not allowed in JSON' };
    default:
      return { ...at(offset), message: `more text after the end of the JSON value: ${found}` };
  }
}

/** 1-based line and column of an offset (columns count UTF-16 units, as editors do). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  return lineIndex(text)(offset);
}

/** What stands at `offset`, short: a string as written, any other token in single quotes. */
function foundAt(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the text';
  const word =
    /^("[^"\n]{0,30}"?|[^\s,:{}[\]"]{1,30}|\S)/.exec(text.slice(offset))?.[1] ?? text.charAt(offset);
  const shown = visible(word);
  return shown.startsWith('"') || shown.includes("'") ? shown : `'${shown}'`;
}

/** Controls, line and paragraph separators, bidi and zero-width marks as \uXXXX: a message stays one plain line. */
function visible(text: string): string {
  return text.replace(
    /[\p{Cc}\u0085\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The bracket still open at `offset` (the innermost), outside strings. */
function openBracket(text: string, offset: number): number {
  const stack: number[] = [];
  let inString = false;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    const char = text.charAt(i);
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') stack.push(i);
    else if (char === '}' || char === ']') stack.pop();
  }
  return stack.at(-1) ?? 0;
}

/** The offset of the last character before `offset` that is not white space. */
function previousToken(text: string, offset: number): number | undefined {
  for (let i = Math.min(offset, text.length) - 1; i >= 0; i--) if (!/\s/.test(text.charAt(i))) return i;
  return undefined;
}

/** Where the value ending at `end` starts: its opening quote or bracket, else the start of the word. */
function valueStart(text: string, end: number): number {
  const last = text.charAt(end);
  if (last === '"') {
    for (let i = end - 1; i >= 0; i--) if (text.charAt(i) === '"' && text.charAt(i - 1) !== '\\') return i;
    return end;
  }
  if (last === '}' || last === ']') {
    const open = last === '}' ? '{' : '[';
    let depth = 0;
    let inString = false;
    for (let i = end; i >= 0; i--) {
      const char = text.charAt(i);
      if (char === '"' && text.charAt(i - 1) !== '\\') inString = !inString;
      if (inString) continue;
      if (char === last) depth++;
      else if (char === open && --depth === 0) return i;
    }
    return end;
  }
  let i = end;
  while (i > 0 && /[\w.+-]/.test(text.charAt(i - 1))) i--;
  return i;
}

class Stop {
  constructor(
    readonly kind: JsonFaultKind,
    readonly offset: number,
    readonly opened?: number,
  ) {}
}

/** A strict JSON reader that stops at the first fault, naming its kind. */
function scan(text: string): void {
  let i = 0;
  const stop = (kind: JsonFaultKind, opened?: number): never => {
    throw new Stop(kind, i, opened);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text.charAt(i) !== char) stop('value');
      i++;
    }
  };
  const string = () => {
    const opened = i;
    i++;
    while (i < text.length) {
      const char = text.charAt(i);
      if (char === '"') {
        i++;
        return;
      }
      if (char < ' ') stop('control');
      if (char === '\\') {
        const escaped = text.charAt(i + 1);
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) stop('escape');
          i += 6;
          continue;
        }
        if (escaped === '' || !'"\\/bfnrt'.includes(escaped)) stop('escape');
        i += 2;
        continue;
      }
      i++;
    }
    stop('string', opened);
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    // At the number's start: "01" and "1." are wrong as a whole.
    if (!match || /[\w.]/.test(text.charAt(i + match[0].length))) stop('number');
    i += match?.[0].length ?? 0;
  };
  const value = () => {
    space();
    const char = text.charAt(i);
    if (char === '{') members('}', member);
    else if (char === '[') members(']', value);
    else if (char === '"') string();
    else if (char === '-' || (char >= '0' && char <= '9')) number();
    else if (char === 't' && text.startsWith('true', i)) literal('true');
    else if (char === 'f' && text.startsWith('false', i)) literal('false');
    else if (char === 'n' && text.startsWith('null', i)) literal('null');
    else stop('value');
  };
  const member = () => {
    space();
    if (text.charAt(i) !== '"') stop('name');
    string();
    space();
    if (text.charAt(i) !== ':') stop('colon');
    i++;
    value();
  };
  const members = (close: string, item: () => void) => {
    const opened = i;
    i++;
    space();
    if (text.charAt(i) === close) {
      i++;
      return;
    }
    while (true) {
      item();
      space();
      const char = text.charAt(i);
      if (char === close) {
        i++;
        return;
      }
      if (i >= text.length) stop('unclosed', opened);
      if (char !== ',') stop('comma');
      i++;
    }
  };
  value();
  space();
  if (i < text.length) stop('after-end');
}
