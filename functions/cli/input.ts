import { readFile } from 'node:fs/promises';
import { firstJsonFault } from '../core/json-syntax';
import { CliError } from './cli-error';

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

/** JSON.parse with a message that names the source, the line, the column and the fault in words. */
export function parseJson(text: string, where: string): unknown {
  if (text.trim() === '') throw new CliError(`${where}: is empty, expected a JSON event`);
  try {
    return JSON.parse(text);
  } catch (error) {
    const fault = firstJsonFault(text);
    if (!fault) throw new CliError(`${where}: invalid JSON (${(error as Error).message})`);
    throw new CliError(
      `${where}: invalid JSON at line ${fault.line}, column ${fault.column}: ${fault.message}`,
    );
  }
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
