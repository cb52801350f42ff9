/**
 * The per-form treatment of text that came from outside the guard (tag values, actor ARNs, user
 * agents, error messages). The facts hold every such string as one safe line (`safeLine`); each
 * renderer then applies the escape of its own form: chat markdown must not turn a value into a
 * mention, a link or formatting; JSON is structural and needs nothing more; ASFF and SNS cut to
 * their limits.
 */
import { UNSAFE_TEXT } from '../unsafe-text';

/** Runs of the one set of unsafe characters every form shares (core/unsafe-text.ts). */
const UNSAFE = new RegExp(`${UNSAFE_TEXT.source}+`, 'gu');

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
 * and anything a chat client would turn into a link defanged: a URL's scheme (`https[:]//`) and
 * every host-like run (`evil[.]example[.]com`, also inside an e-mail address), since Slack and
 * Teams link a bare domain too. A value that must stay exact belongs in a code span (chatLiteral),
 * which neither client links.
 */
export function chatText(value: string): string {
  return value
    .replace(/\b([a-z][a-z0-9+.-]*):\/\//gi, '$1[:]//')
    .replace(HOST_LIKE, defang)
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/&/g, '＆')
    .replace(/([\\`*_~[\]|#])/g, (c) => FULLWIDTH[c] ?? c);
}

/**
 * Labels joined by dots and ending in a label of two or more letters, as a top-level domain does:
 * `evil.example.com`, `login.evil.co`, `x.md`; not `e.g.`, `v1.29` or `10.0.0.1`.
 */
const HOST_LIKE =
  /(?<![\p{L}\p{N}-])(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}(?![\p{L}\p{N}-])/gu;

/** Plain text a chat client shows outside markdown (a notification's summary): its host-like runs defanged. */
export function defangHosts(value: string): string {
  return value.replace(/\b([a-z][a-z0-9+.-]*):\/\//gi, '$1[:]//').replace(HOST_LIKE, defang);
}

function defang(host: string): string {
  return host.replaceAll('.', '[.]');
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
