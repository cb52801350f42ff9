import { forEmail } from '../escape';

/** The e-mail text's layout: aligned label rows, indented blocks, untrusted values escaped. */

/** An untrusted value inside a sentence: escaped and shortened on its own. */
export const safe = (value: string | undefined) => (value === undefined ? undefined : forEmail(value));

export function labelled(rows: [string, string | undefined | false][]): string[] {
  const known = rows.filter((row): row is [string, string] => typeof row[1] === 'string' && row[1] !== '');
  const width = Math.max(0, ...known.map(([label]) => label.length)) + 2;
  return known.map(([label, value]) => `${`${label}:`.padEnd(width)}${forEmail(value)}`);
}

export function indent(lines: string[]): string[] {
  return lines.map((line) => `  ${line}`);
}
