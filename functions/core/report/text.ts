/** Small formatting helpers shared by the report's renderers. */

/** `3 d 4 h`, `1 h 02 min`, `4 min 05 s`, `12 s`. */
export function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${two(m)} min`;
  if (m > 0) return `${m} min ${two(rest)} s`;
  return `${rest} s`;
}

/** `2026-11-03 10:00Z` */
export function when(iso: string | undefined): string {
  if (!iso) return '-';
  return iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z');
}

/** Drops the `arn:partition:service:region:account:` prefix. */
export function shortActor(arn: string): string {
  return /^arn:[^:]+:[^:]*:[^:]*:[^:]*:(.+)$/.exec(arn)?.[1] ?? arn;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Every interpolated string of the HTML report goes through this: text and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** A Markdown table cell: no line breaks, and nothing that Markdown or HTML would interpret. */
export function escapeMarkdown(value: unknown): string {
  return String(value)
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\\`*_{}[\]()<>#+!|~&]/g, (c) => `\\${c}`);
}
