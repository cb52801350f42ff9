/**
 * The one set of characters no alert form may carry as they are, whatever the form: controls
 * (`\p{Cc}`: CR, LF, ESC, NEL, ...), format characters (`\p{Cf}`: bidi marks and overrides, the
 * Arabic letter mark U+061C, zero-width spaces and joiners, word joiner and invisible operators
 * U+2060-U+2064, the byte order mark U+FEFF, soft hyphen, ...), the Unicode line and paragraph
 * separators, and the whole tag-character block U+E0000-U+E007F (unassigned code points included).
 * They forge lines, hide text, or make it read differently from what it is.
 */
export const UNSAFE_TEXT = /[\p{Cc}\p{Cf}\u2028\u2029\u{E0000}-\u{E007F}]/gu;

/** A fresh copy for a single test (`test` on a global pattern moves its lastIndex). */
export function hasUnsafeText(value: string): boolean {
  return new RegExp(UNSAFE_TEXT.source, 'u').test(value);
}

/** An unsafe character as visible text: `\u202e`, or `\u{e0041}` beyond the basic plane. */
export function visibleCodePoint(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
