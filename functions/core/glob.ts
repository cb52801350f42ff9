/**
 * Cluster-name globs: anchored, case-sensitive, `*` matches any run of characters (including
 * none), `?` exactly one; every other character matches itself.
 *
 * Hand-written rather than picomatch: picomatch compiles a glob to a backtracking RegExp
 * (`*-*-*-*-*-*-*-prod` becomes `[^/]*?-[^/]*?-…prod`), which takes seconds on a 100-character
 * name of dashes, and it gives meaning to braces, brackets and extglobs that our globs never
 * have. This two-pointer matcher remembers only the last `*`: on a mismatch it lets that star
 * swallow one more character, so each step advances the name or the star's restart point and
 * it runs in at most name × glob steps (10,000 for the longest legal pair), never exponential.
 */
export function matchesGlob(name: string, glob: string): boolean {
  let n = 0;
  let g = 0;
  // Where the last `*` was, and the name position it currently swallows up to.
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    const char = glob[g];
    if (char === '*') {
      star = g++;
      resume = n;
    } else if (char !== undefined && (char === '?' || char === name[n])) {
      g++;
      n++;
    } else if (star >= 0) {
      g = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (glob[g] === '*') g++;
  return g === glob.length;
}
