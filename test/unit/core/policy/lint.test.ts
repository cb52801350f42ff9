import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { globCovers, LINT_RULES, lintPolicy } from '../../../../functions/core/policy/lint';

/**
 * A corpus of good and subtly wrong policies (test/unit/core/policy/corpus): for each, exactly the
 * findings expected, as `LINE:COLUMN severity rule path`. A rule that fires where it should not, or
 * stays quiet where it should fire, fails its file.
 */
const CORPUS = join(__dirname, 'corpus');
const NOW = new Date('2026-12-01T12:00:00Z');

const EXPECTED: Record<string, string[]> = {
  'good-strict.policy': [],
  'good-restricted.policy': [],
  // An override's restricted rule without CIDRs of its own uses the top-level ones: they are used.
  'cidrs-inherited.policy': [],
  'exemption-expired.policy': [
    '5:62 warning exemption-expired exemptions[0].expires',
    // 2026-12-01 is today: the exemption still applies until midnight UTC.
    '6:61 warning exemption-expiring exemptions[1].expires',
    // Ends at 2026-12-15T00:00Z, 13.5 days away; 2026-12-16 (15.5 days) and no expiry stay quiet.
    '7:59 warning exemption-expiring exemptions[2].expires',
  ],
  'override-shadowed.policy': [
    '6:20 warning override-shadowed overrides[1].clusters[0]',
    '7:20 warning override-shadowed overrides[2].clusters[0]',
  ],
  'override-no-change.policy': [
    '7:5 warning override-no-change overrides[0]',
    '8:5 warning override-no-change overrides[1]',
  ],
  'open-world.policy': [
    '4:26 warning cidr-nested allowedPublicCidrs[0]',
    '4:44 warning restricted-open-world allowedPublicCidrs[1]',
    '6:52 warning restricted-open-world overrides[0].allowedPublicCidrs[0]',
  ],
  'private-ranges.policy': [
    '5:5 warning private-range allowedPublicCidrs[0]',
    '6:5 warning private-range allowedPublicCidrs[1]',
    '8:5 warning private-range allowedPublicCidrs[3]',
    '9:5 warning private-range allowedPublicCidrs[4]',
    '11:5 warning private-range allowedPublicCidrs[6]',
  ],
  'cidrs-unused.policy': [
    '4:25 warning cidrs-unused allowedPublicCidrs',
    '6:80 warning cidrs-unused overrides[0].allowedPublicCidrs',
    '7:5 warning override-no-change overrides[1]',
    '7:52 warning cidrs-unused overrides[1].allowedPublicCidrs',
  ],
  'cidr-duplicates.policy': [
    '4:63 warning cidr-duplicate allowedPublicCidrs[2]',
    '4:81 warning cidr-nested allowedPublicCidrs[3]',
    '4:117 warning cidr-nested allowedPublicCidrs[5]',
  ],
  'duplicate-key.policy': ['4:3 warning duplicate-key publicAccess'],
  // In notify mode nothing is changed, so nothing is deferred either.
  'clients-defer-notify.policy': ['5:27 warning clients-defer-notify protectActiveClients'],
  // Without a grace period "defer" waits its own 60 minutes: the author should know.
  'clients-defer-no-grace.policy': ['5:27 warning clients-defer-no-grace protectActiveClients'],
  'clients-defer-grace.policy': [],
  'schema-errors.policy': [
    '2:14 error schema version',
    '4:19 error schema publicAccess',
    '6:31 error schema exemptions[0].cluster',
    '6:57 error schema exemptions[0].reason',
    '6:72 error schema exemptions[0].expires',
    '7:31 error schema overrides[0].clusters',
    '7:88 error schema overrides[0].allowedPublicCidrs[0]',
    '8:3 error schema exemptionTags',
  ],
  'syntax-errors.policy': [
    '3:3 error syntax',
    '6:57 error syntax',
    '7:3 error syntax',
    '8:3 error syntax',
    '8:11 error syntax',
    '9:1 error syntax',
  ],
};

const brief = (f: { line: number; column: number; severity: string; rule: string; path?: string }) =>
  [`${f.line}:${f.column}`, f.severity, f.rule, f.path].filter(Boolean).join(' ');

describe('the policy corpus', () => {
  it('has an expectation for every file and a file for every expectation', () => {
    // Act
    const files = readdirSync(CORPUS).sort();

    // Assess
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s: exactly the findings expected', (file, expected) => {
    // Prepare
    const text = readFileSync(join(CORPUS, file), 'utf8');

    // Act
    const { findings, policy } = lintPolicy(text, NOW);

    // Assess
    expect(findings.map(brief)).toEqual(expected);
    expect(policy === undefined).toBe(expected.some((line) => line.includes(' error ')));
  });

  it('every lint rule fires somewhere in the corpus', () => {
    // Prepare
    const fired = new Set(
      Object.values(EXPECTED)
        .flat()
        .map((line) => line.split(' ')[2]),
    );

    // Assess
    expect(LINT_RULES.filter((rule) => !fired.has(rule))).toEqual([]);
  });
});

describe('messages', () => {
  it('says what is wrong and what it means, in one line each', () => {
    // Prepare
    const text = readFileSync(join(CORPUS, 'override-shadowed.policy'), 'utf8');

    // Act
    const { findings } = lintPolicy(text, NOW);

    // Assess
    expect(findings.map((f) => f.message)).toEqual([
      '"dev-api" is matched first by "dev-*" in overrides[0]: this override never applies to it',
      '"qa-1" is matched first by "qa-?" in overrides[1]: this override never applies to it',
    ]);
  });

  it('reports every schema error, not the first one, with the field path', () => {
    // Prepare
    const text = readFileSync(join(CORPUS, 'schema-errors.policy'), 'utf8');

    // Act
    const { findings } = lintPolicy(text, NOW);

    // Assess
    expect(findings.map((f) => `${f.path}: ${f.message}`)).toEqual([
      'version: expected 1, got 2',
      'publicAccess: expected "disabled" | "restricted" | "allowed", got "sometimes"',
      'exemptions[0].cluster: expected a cluster name or glob such as "dev-*"',
      'exemptions[0].reason: must not be empty',
      'exemptions[0].expires: expected a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ, got "31/01/2027"',
      'overrides[0].clusters: needs at least 1 entry',
      'overrides[0].allowedPublicCidrs[0]: "203.0.113.1/24" has host bits set (did you mean 203.0.113.0/24?)',
      'exemptionTags: unknown field "exemptionTags"',
    ]);
  });

  it('names each syntax fault and what was found there', () => {
    // Act
    const { findings } = lintPolicy('{\n  "version": 1,\n  "mode": \'notify\'\n}', NOW);

    // Assess
    expect(findings).toEqual([
      {
        severity: 'error',
        rule: 'syntax',
        line: 3,
        column: 11,
        message: `unexpected character, found "'notify'"`,
      },
      { severity: 'error', rule: 'syntax', line: 4, column: 1, message: 'expected a value, found "}"' },
    ]);
  });

  it.each([
    ['an empty text', '', 'expected a value, found the end of the file'],
    ['a text cut short', '{"version": 1', 'expected "}", found the end of the file'],
  ])('%s is a syntax error at its end', (_, text, message) => {
    // Act
    const { findings } = lintPolicy(text, NOW);

    // Assess
    expect(findings.map((f) => f.message)).toEqual([message]);
  });

  it('a missing required field points at the object that lacks it', () => {
    // Act
    const { findings } = lintPolicy('{\n  "version": 1\n}', NOW);

    // Assess
    expect(findings).toEqual([
      { severity: 'error', rule: 'schema', path: 'publicAccess', line: 1, column: 1, message: 'is required' },
    ]);
  });

  it('a date expiry ends at the next midnight UTC', () => {
    // Prepare
    const text = JSON.stringify({
      version: 1,
      publicAccess: 'disabled',
      exemptions: [{ cluster: 'a', reason: 'r', expires: '2026-12-01' }],
    });

    // Act: a minute before and a minute after midnight UTC
    const before = lintPolicy(text, new Date('2026-12-01T23:59:00Z')).findings.map((f) => f.rule);
    const after = lintPolicy(text, new Date('2026-12-02T00:01:00Z')).findings.map((f) => f.rule);

    // Assess
    expect([before, after]).toEqual([['exemption-expiring'], ['exemption-expired']]);
  });
});

describe('globCovers', () => {
  it.each([
    ['*', 'anything-*', true],
    ['dev-*', 'dev-api', true],
    ['dev-*', 'dev-*-blue', true],
    ['dev-*', 'dev', false],
    ['dev-?', 'dev-1', true],
    ['dev-?', 'dev-?', true],
    ['dev-?', 'dev-*', false],
    ['dev-api', 'dev-*', false],
    ['*-api', 'prod-*', false],
    ['a*b', 'a*c*b', true],
  ])('%s covers %s: %s', (outer, inner, expected) => {
    // Act
    const covers = globCovers(outer, inner);

    // Assess
    expect(covers).toBe(expected);
  });
});
