/**
 * A value as it appears inside a one-line message (errors, reasons, alert subjects): strings
 * quoted and escaped, including the Unicode line separators JSON leaves as they are, and
 * anything long clipped.
 */
export function quote(value: unknown, max = 60): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  const raw = typeof value === 'string' ? JSON.stringify(value) : String(value);
  const text = raw.replace(
    /[\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  if (text.length <= max) return text;
  return typeof value === 'string' ? `${text.slice(0, max - 4)}..."` : `${text.slice(0, max - 3)}...`;
}
