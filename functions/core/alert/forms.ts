/**
 * The per-form treatment of text that came from outside the guard (tag values, actor ARNs, user
 * agents, error messages). The facts hold every such string as one safe line (`safeLine`); each
 * renderer then applies the escape of its own form: chat markdown must not turn a value into a
 * mention, a link or formatting; JSON is structural and needs nothing more; ASFF and SNS cut to
 * their limits.
 */

/** C0/C1 controls, the Unicode line and paragraph separators, bidi overrides and zero-width marks. */
const UNSAFE = /[\p{Cc}\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+/gu;

/** One printable line, runs of spaces collapsed, cut to `max` characters with an ellipsis. */
export function safeLine(value: string, max = 500): string {
  return clip(value.replace(UNSAFE, ' ').replace(/ {2,}/g, ' ').trim(), max);
}

/** Cut to at most `max` characters (code points), the last one an ellipsis when cut. */
export function clip(value: string, max: number): string {
  const chars = [...value];
  if (chars.length <= max) return value;
  return `${chars
    .slice(0, Math.max(0, max - 1))
    .join('')
    .trimEnd()}…`;
}

/**
 * A value shown literally in chat markdown (Slack and Microsoft Teams through Amazon Q Developer):
 * an inline code span, so that `*`, `_`, `~`, `[text](url)` and `#` stay text, with the backtick
 * that would close the span and the angle brackets that start Slack's `<!channel>`, `<@user>` and
 * `<url|text>` sequences replaced by look-alikes.
 */
export function chatLiteral(value: string): string {
  const text = value.replace(/`/g, 'ʼ').replace(/</g, '‹').replace(/>/g, '›').replace(/&/g, '＆');
  return `\`${text || '-'}\``;
}

/**
 * Text of our own in chat markdown that may contain a value: formatting characters made inert,
 * and any URL in it defanged, so that the chat client does not turn it into a link.
 */
export function chatText(value: string): string {
  return value
    .replace(/\b([a-z][a-z0-9+.-]*):\/\//gi, '$1[:]//')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/&/g, '＆')
    .replace(/([\\`*_~[\]|#])/g, (c) => FULLWIDTH[c] ?? c);
}

const FULLWIDTH: Record<string, string> = {
  '\\': '＼',
  '`': 'ʼ',
  '*': '＊',
  _: '＿',
  '~': '～',
  '[': '［',
  ']': '］',
  '|': '｜',
  '#': '＃',
};

/** A link in chat markdown; only https URLs the guard built itself ever reach here. */
export function chatLink(label: string, url: string): string {
  const safe = url.replace(
    /[()\s]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `[${chatText(label)}](${safe})`;
}
