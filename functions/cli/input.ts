import { readFile } from 'node:fs/promises';
import { CliError } from './errors';

/** Reads a JSON document from a file, or from standard input for `-`. */
export async function readJsonInput(
  source: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<unknown> {
  const { text, where } = await readTextInput(source, stdin);
  return parseJson(text, where);
}

/** Reads a file, or standard input for `-`, as text; `where` names it in messages. */
export async function readTextInput(
  source: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<{ text: string; where: string }> {
  const where = source === '-' ? 'standard input' : source;
  try {
    return { text: source === '-' ? await readAll(stdin) : await readFile(source, 'utf8'), where };
  } catch (error) {
    throw new CliError(`cannot read ${where}: ${fileFault(error)}`);
  }
}

/** JSON.parse with a message that names the source, the line and the column. */
export function parseJson(text: string, where: string): unknown {
  if (text.trim() === '') throw new CliError(`${where}: is empty, expected a JSON event`);
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message.replace(/\s*\(line \d+ column \d+\)$/, '');
    const position = /at position (\d+)/.exec(message);
    const at = lineAndColumn(text, position ? Number(position[1]) : jsonErrorOffset(text));
    const fault = message
      .replace(/\s*in JSON at position \d+/, '')
      .replace(/, .* is not valid JSON$/s, '')
      .replace(/^JSON\.parse: /, '');
    throw new CliError(`${where}: invalid JSON at line ${at.line}, column ${at.column} (${fault})`);
  }
}

/**
 * The offset of the first character that makes `text` invalid JSON (its length when the text ends
 * too early). Some JSON.parse messages carry no position; this finds it.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new JsonOffset(i);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text.charAt(i) !== char) fail();
      i++;
    }
  };
  const string = () => {
    i++; // the opening quote
    while (i < text.length) {
      const char = text.charAt(i);
      if (char === '"') {
        i++;
        return;
      }
      if (char < ' ') fail();
      if (char === '\\') {
        i++;
        const escaped = text.charAt(i);
        if (escaped === 'u') {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text.charAt(i + k))) fail();
          i += 4;
        } else if (escaped === '' || !'"\\/bfnrt'.includes(escaped)) fail();
      }
      i++;
    }
    fail();
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail();
    i += match?.[0].length ?? 0;
  };
  const member = () => {
    space();
    if (text.charAt(i) !== '"') fail();
    string();
    space();
    if (text.charAt(i) !== ':') fail();
    i++;
    value();
  };
  const value = () => {
    space();
    const char = text.charAt(i);
    if (char === '{') members('}', member);
    else if (char === '[') members(']', value);
    else if (char === '"') string();
    else if (char === '-' || (char >= '0' && char <= '9')) number();
    else if (char === 't') literal('true');
    else if (char === 'f') literal('false');
    else if (char === 'n') literal('null');
    else fail();
  };
  const members = (close: string, member: () => void) => {
    i++;
    space();
    if (text.charAt(i) === close) {
      i++;
      return;
    }
    while (true) {
      member();
      space();
      const char = text.charAt(i);
      if (char === close) {
        i++;
        return;
      }
      if (char !== ',') fail();
      i++;
    }
  };
  try {
    value();
    space();
    if (i < text.length) fail();
  } catch (error) {
    if (error instanceof JsonOffset) return Math.min(error.offset, text.length);
    throw error;
  }
  return text.length;
}

class JsonOffset {
  constructor(readonly offset: number) {}
}

export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

function fileFault(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, expected a JSON file';
  if (code === 'EACCES') return 'permission denied';
  return (error as Error).message;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  if ((stream as NodeJS.ReadStream).isTTY) {
    throw new Error('nothing piped in (use a file name, or pipe an event into "-")');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
