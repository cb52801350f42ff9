/** Exit codes of every command, for CI (documented in --help and docs/cli.md). */
export const EXIT_OK = 0;
/** A clear error: bad input, an unusable environment, an AWS call that failed. */
export const EXIT_ERROR = 1;
/** `check` found a cluster non-compliant (would-remediate, blocked) or a decision failed. */
export const EXIT_NON_COMPLIANT = 3;

/** The outcomes that make `check` exit 3: something is (or may be) wrong and nothing fixed it. */
export const NON_COMPLIANT_OUTCOMES: ReadonlySet<string> = new Set(['would-remediate', 'blocked', 'failed']);
