import { readFile } from 'node:fs/promises';
import { CliError } from './errors';

/** Reads a JSON document from a file, or from standard input for `-`. */
export async function readJsonInput(
  source: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<unknown> {
  const where = source === '-' ? 'standard input' : source;
  let text: string;
  try {
    text = source === '-' ? await readAll(stdin) : await readFile(source, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${where}: ${fileFault(error)}`);
  }
  return parseJson(text, where);
}

/** JSON.parse with a message that names the source, the line and the column. */
export function parseJson(text: string, where: string): unknown {
  if (text.trim() === '') throw new CliError(`${where}: is empty, expected a JSON event`);
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message.replace(/\s*\(line \d+ column \d+\)$/, '');
    const position = /at position (\d+)/.exec(message);
    const at = position ? lineAndColumn(text, Number(position[1])) : lineAndColumn(text, text.length);
    const fault = message.replace(/\s*in JSON at position \d+/, '').replace(/^JSON\.parse: /, '');
    throw new CliError(`${where}: invalid JSON at line ${at.line}, column ${at.column} (${fault})`);
  }
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
