/**
 * Every string in an alert that comes from an event, a tag, a cluster or a queue message is
 * untrusted: it could carry line breaks that forge alert lines, terminal escapes, or direction
 * overrides that make text read differently from what it is. One function per output form makes
 * it safe there; nothing else formats untrusted text into an alert.
 */
import { UNSAFE_TEXT, visibleCodePoint } from './unsafe-text';

/** The one set of unsafe characters every form shares (core/unsafe-text.ts). */
const UNSAFE = UNSAFE_TEXT;
const ELLIPSIS = '…';

/** How long one value may be in the e-mail text before it is shortened. */
export const MAX_EMAIL_VALUE = 300;
/** SNS message attributes: short, and routed on, so kept tight. */
export const MAX_ATTRIBUTE_VALUE = 256;
/** A string inside the machine JSON. */
export const MAX_JSON_VALUE = 2000;

/** For the e-mail (and default) text: one line, unsafe characters shown as `\uXXXX`, shortened with an ellipsis. */
export function forEmail(value: string, max = MAX_EMAIL_VALUE): string {
  return shorten(value.replace(UNSAFE, visible), max);
}

/** For the e-mail subject: printable ASCII (and the ellipsis) on one line; the caller fits it to SNS's 100 characters. */
export function forSubject(value: string): string {
  return value
    .replace(/[^\x20-\x7e…]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** For an SNS message attribute value: printable, one line, shortened. */
export function forAttribute(value: string, max = MAX_ATTRIBUTE_VALUE): string {
  return shorten(value.replace(UNSAFE, ' ').replace(/ {2,}/g, ' ').trim(), max);
}

/**
 * For the machine JSON: JSON.stringify already escapes controls, so only length is limited here
 * (strings anywhere in the value), and the serialised text escapes U+2028/U+2029, which JSON
 * allows raw but JavaScript and many log viewers treat as line breaks.
 */
export function forJson(value: unknown, max = MAX_JSON_VALUE): string {
  return JSON.stringify(clipStrings(value, max));
}

/** Strings are cut, and their unsafe characters shown as text: JSON escapes would hand them back intact. */
function clipStrings(value: unknown, max: number): unknown {
  if (typeof value === 'string') return shorten(value.replace(UNSAFE, visible), max);
  if (Array.isArray(value)) return value.map((item) => clipStrings(item, max));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clipStrings(v, max)]));
  }
  return value;
}

const visible = visibleCodePoint;

function shorten(value: string, max: number): string {
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}${ELLIPSIS}`;
}
