import {
  DEFAULT_EXEMPTION_TAG,
  PolicyError,
  parsePolicy,
  policyDigest,
  validatePolicy,
} from '../../../../functions/core/policy/policy';

const SOURCE = 'ssm:/eks-endpoint-guard/policy';

/** Parses a policy written as an object, the way it would arrive from the parameter store. */
function parse(value: unknown) {
  return parsePolicy(JSON.stringify(value), SOURCE).policy;
}

/** The one-line message parsing fails with. */
function faultOf(text: string): string {
  try {
    parsePolicy(text, SOURCE);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the policy to be rejected');
}

const cidrs = (count: number) => Array.from({ length: count }, (_, i) => `10.${i}.0.0/16`);

describe('version', () => {
  it('accepts version 1', () => {
    // Act
    const policy = parse({ version: 1, publicAccess: 'disabled' });

    // Assess
    expect(policy.version).toBe(1);
  });

  it.each([
    ['2', { version: 2 }, 'version: expected 1, got 2'],
    ['"1" as a string', { version: '1' }, 'version: expected 1, got "1"'],
    ['missing', {}, 'version: is required'],
  ])('is rejected when %s, with a one-line message', (_name, version, fault) => {
    // Prepare
    const text = JSON.stringify({ ...version, publicAccess: 'disabled' });

    // Act
    const message = faultOf(text);

    // Assess
    expect(message).toBe(`policy ${SOURCE}: ${fault}`);
  });
});

describe('mode', () => {
  it('defaults to "enforce"', () => {
    // Act
    const policy = parse({ version: 1, publicAccess: 'disabled' });

    // Assess
    expect(policy.mode).toBe('enforce');
  });

  it.each(['enforce', 'notify'] as const)('accepts "%s"', (mode) => {
    // Act
    const policy = parse({ version: 1, mode, publicAccess: 'disabled' });

    // Assess
    expect(policy.mode).toBe(mode);
  });

  it('rejects an unknown mode', () => {
    // Act
    const message = faultOf('{"version":1,"mode":"audit","publicAccess":"disabled"}');

    // Assess
    expect(message).toBe(`policy ${SOURCE}: mode: expected "enforce" | "notify", got "audit"`);
  });
});

describe('publicAccess', () => {
  it.each([
    ['disabled', {}],
    ['restricted', { allowedPublicCidrs: ['203.0.113.0/24'] }],
    ['allowed', {}],
  ] as const)('accepts "%s"', (publicAccess, extra) => {
    // Act
    const policy = parse({ version: 1, publicAccess, ...extra });

    // Assess
    expect(policy.publicAccess).toBe(publicAccess);
  });

  it('is required', () => {
    // Act
    const message = faultOf('{"version":1}');

    // Assess
    expect(message).toBe(`policy ${SOURCE}: publicAccess: is required`);
  });

  it('rejects a value outside the enum', () => {
    // Act
    const message = faultOf('{"version":1,"publicAccess":"closed"}');

    // Assess
    expect(message).toBe(
      `policy ${SOURCE}: publicAccess: expected "disabled" | "restricted" | "allowed", got "closed"`,
    );
  });
});

describe('allowedPublicCidrs', () => {
  it('is required when publicAccess is "restricted"', () => {
    // Act
    const message = faultOf('{"version":1,"publicAccess":"restricted"}');

    // Assess
    expect(message).toBe(`policy ${SOURCE}: allowedPublicCidrs: required when publicAccess is "restricted"`);
  });

  it('is optional otherwise', () => {
    // Act
    const policy = parse({ version: 1, publicAccess: 'allowed' });

    // Assess
    expect(policy.allowedPublicCidrs).toBeUndefined();
  });

  it('accepts IPv4 and IPv6 blocks together', () => {
    // Prepare
    const allowed = ['203.0.113.0/24', '198.51.100.10/32', '2001:db8::/32'];

    // Act
    const policy = parse({ version: 1, publicAccess: 'restricted', allowedPublicCidrs: allowed });

    // Assess
    expect(policy.allowedPublicCidrs).toEqual(allowed);
  });

  it.each([1, 40])('accepts %i entries', (count) => {
    // Act
    const policy = parse({ version: 1, publicAccess: 'restricted', allowedPublicCidrs: cidrs(count) });

    // Assess
    expect(policy.allowedPublicCidrs).toHaveLength(count);
  });

  it.each([
    [0, 'needs at least 1 entry'],
    [41, 'has more than 40 entries'],
  ])('rejects %i entries', (count, fault) => {
    // Prepare
    const text = JSON.stringify({ version: 1, publicAccess: 'restricted', allowedPublicCidrs: cidrs(count) });

    // Act
    const message = faultOf(text);

    // Assess
    expect(message).toBe(`policy ${SOURCE}: allowedPublicCidrs: ${fault}`);
  });

  it.each([
    [
      'host bits set',
      '198.51.100.10/24',
      '"198.51.100.10/24" has host bits set (did you mean 198.51.100.0/24?)',
    ],
    [
      'an IPv4 shorthand',
      '10/8',
      '"10/8" is not a CIDR block (expected e.g. 203.0.113.0/24 or 2001:db8::/32)',
    ],
    [
      'a bare address',
      '192.0.2.1',
      '"192.0.2.1" is not a CIDR block (expected e.g. 203.0.113.0/24 or 2001:db8::/32)',
    ],
  ])('names the entry with %s at allowedPublicCidrs[1]', (_name, bad, fault) => {
    // Prepare
    const text = JSON.stringify({
      version: 1,
      publicAccess: 'restricted',
      allowedPublicCidrs: ['203.0.113.0/24', bad],
    });

    // Act
    const message = faultOf(text);

    // Assess
    expect(message).toBe(`policy ${SOURCE}: allowedPublicCidrs[1]: ${fault}`);
  });
});

describe('privateAccess', () => {
  it('defaults to "required"', () => {
    // Act
    const policy = parse({ version: 1, publicAccess: 'allowed' });

    // Assess
    expect(policy.privateAccess).toBe('required');
  });

  it('accepts "optional"', () => {
    // Act
    const policy = parse({ version: 1, publicAccess: 'allowed', privateAccess: 'optional' });

    // Assess
    expect(policy.privateAccess).toBe('optional');
  });

  it('rejects a value outside the enum', () => {
    // Act
    const message = faultOf('{"version":1,"publicAccess":"allowed","privateAccess":"yes"}');

    // Assess
    expect(message).toBe(`policy ${SOURCE}: privateAccess: expected "required" | "optional", got "yes"`);
  });
});

describe('exemptionTag', () => {
  it(`defaults to "${DEFAULT_EXEMPTION_TAG}"`, () => {
    // Act
    const policy = parse({ version: 1, publicAccess: 'disabled' });

    // Assess
    expect(policy.exemptionTag).toBe('eks-endpoint-guard/exempt');
  });

  it('takes any tag key', () => {
    // Act
    const policy = parse({ version: 1, publicAccess: 'disabled', exemptionTag: 'security/exempt' });

    // Assess
    expect(policy.exemptionTag).toBe('security/exempt');
  });

  it('must not be empty', () => {
    // Act
    const message = faultOf('{"version":1,"publicAccess":"disabled","exemptionTag":""}');

    // Assess
    expect(message).toBe(`policy ${SOURCE}: exemptionTag: must not be empty`);
  });
});

describe('exemptions', () => {
  it('default to none', () => {
    // Act
    const policy = parse({ version: 1, publicAccess: 'disabled' });

    // Assess
    expect(policy.exemptions).toEqual([]);
  });

  it('take a cluster glob, a reason and an optional expiry date', () => {
    // Prepare
    const exemptions = [
      { cluster: 'legacy-*', reason: 'OPS-123 migration', expires: '2027-01-31' },
      { cluster: 'lab-??', reason: 'training' },
    ];

    // Act
    const policy = parse({ version: 1, publicAccess: 'disabled', exemptions });

    // Assess
    expect(policy.exemptions).toEqual(exemptions);
  });

  it.each([
    ['an impossible date', '2027-02-30'],
    ['a day-first date', '31/01/2027'],
  ])('reject %s as expiry', (_name, expires) => {
    // Prepare
    const text = JSON.stringify({
      version: 1,
      publicAccess: 'disabled',
      exemptions: [{ cluster: 'legacy-*', reason: 'r', expires }],
    });

    // Act
    const message = faultOf(text);

    // Assess
    expect(message).toBe(
      `policy ${SOURCE}: exemptions[0].expires: expected a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ, got ${JSON.stringify(expires)}`,
    );
  });

  it('require a reason', () => {
    // Act
    const message = faultOf('{"version":1,"publicAccess":"disabled","exemptions":[{"cluster":"legacy-*"}]}');

    // Assess
    expect(message).toBe(`policy ${SOURCE}: exemptions[0].reason: is required`);
  });

  it('reject a glob that cannot be a cluster name', () => {
    // Act
    const message = faultOf(
      '{"version":1,"publicAccess":"disabled","exemptions":[{"cluster":"legacy cluster","reason":"r"}]}',
    );

    // Assess
    expect(message).toBe(
      `policy ${SOURCE}: exemptions[0].cluster: expected a cluster name or glob such as "dev-*"`,
    );
  });
});

describe('overrides', () => {
  it('default to none', () => {
    // Act
    const policy = parse({ version: 1, publicAccess: 'disabled' });

    // Assess
    expect(policy.overrides).toEqual([]);
  });

  it('may set only some of the rules', () => {
    // Prepare
    const overrides = [{ clusters: ['dev-*', 'sandbox-*'], privateAccess: 'optional' }];

    // Act
    const policy = parse({ version: 1, publicAccess: 'disabled', overrides });

    // Assess
    expect(policy.overrides).toEqual(overrides);
  });

  it('need allowedPublicCidrs for "restricted" when the policy has none', () => {
    // Prepare
    const text = JSON.stringify({
      version: 1,
      publicAccess: 'disabled',
      overrides: [{ clusters: ['dev-*'], publicAccess: 'restricted' }],
    });

    // Act
    const message = faultOf(text);

    // Assess
    expect(message).toBe(
      `policy ${SOURCE}: overrides[0].allowedPublicCidrs: required when the override sets publicAccess "restricted" and the policy has none`,
    );
  });

  it('borrow the policy allowedPublicCidrs for "restricted"', () => {
    // Prepare
    const value = {
      version: 1,
      publicAccess: 'disabled',
      allowedPublicCidrs: ['203.0.113.0/24'],
      overrides: [{ clusters: ['dev-*'], publicAccess: 'restricted' }],
    };

    // Act
    const policy = parse(value);

    // Assess
    expect(policy.overrides[0]?.publicAccess).toBe('restricted');
  });

  it('need at least one cluster glob', () => {
    // Act
    const message = faultOf('{"version":1,"publicAccess":"disabled","overrides":[{"clusters":[]}]}');

    // Assess
    expect(message).toBe(`policy ${SOURCE}: overrides[0].clusters: needs at least 1 entry`);
  });
});

describe('parse errors', () => {
  it('reject an unknown field', () => {
    // Act
    const message = faultOf('{"version":1,"publicAccess":"disabled","publicCidrs":[]}');

    // Assess
    expect(message).toBe(`policy ${SOURCE}: unknown field "publicCidrs"`);
  });

  it('reject an unknown field inside an override', () => {
    // Act
    const message = faultOf(
      '{"version":1,"publicAccess":"disabled","overrides":[{"clusters":["dev-*"],"mode":"notify"}]}',
    );

    // Assess
    expect(message).toBe(`policy ${SOURCE}: overrides[0]: unknown field "mode"`);
  });

  it('reject text that is not JSON, quoting the parser', () => {
    // Prepare
    const text = '{"version":1,';
    const parserMessage = (() => {
      try {
        JSON.parse(text);
      } catch (error) {
        return (error as Error).message;
      }
    })();

    // Act
    const message = faultOf(text);

    // Assess
    expect(message).toBe(`policy ${SOURCE}: not valid JSON (${parserMessage})`);
  });

  it('reject JSON that is not an object', () => {
    // Act
    const message = faultOf('[]');

    // Assess
    expect(message).toBe(`policy ${SOURCE}: expected object, got an array`);
  });

  it('count the faults after the first', () => {
    // Act
    const message = faultOf('{"version":2,"publicAccess":"closed","extra":true}');

    // Assess
    expect(message).toMatch(/^policy ssm:\/eks-endpoint-guard\/policy: .+ \(and 2 more\)$/);
  });

  it('are single lines', () => {
    // Act
    const messages = ['{', '{"version":1}', '{"version":1,"publicAccess":"restricted"}'].map(faultOf);

    // Assess
    for (const message of messages) expect(message).not.toContain('\n');
  });
});

describe('PolicyError', () => {
  it('carries its name, source, fault and cause for a schema fault', () => {
    // Prepare
    let caught: unknown;

    // Act
    try {
      validatePolicy({ version: 1, publicAccess: 'closed' }, 'file:policy.json');
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(PolicyError);
    const error = caught as PolicyError;
    expect(error.name).toBe('PolicyError');
    expect(error.source).toBe('file:policy.json');
    expect(error.fault).toBe('publicAccess: expected "disabled" | "restricted" | "allowed", got "closed"');
    expect(error.message).toBe(`policy file:policy.json: ${error.fault}`);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('keeps the JSON parser error as cause', () => {
    // Prepare
    let caught: unknown;

    // Act
    try {
      parsePolicy('not json', SOURCE);
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(PolicyError);
    expect((caught as PolicyError).cause).toBeInstanceOf(SyntaxError);
  });
});

describe('parsePolicy', () => {
  it('returns the source and the sha256 digest of the exact text', () => {
    // Prepare
    const text = '{"version":1,"publicAccess":"disabled"}';

    // Act
    const loaded = parsePolicy(text, SOURCE);

    // Assess
    expect(loaded.source).toBe(SOURCE);
    expect(loaded.digest).toBe(policyDigest(text));
    expect(loaded.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('gives different digests to texts that differ only in spacing', () => {
    // Act
    const digests = [policyDigest('{"version":1}'), policyDigest('{ "version": 1 }')];

    // Assess
    expect(digests[0]).not.toBe(digests[1]);
  });

  it('fills every default of an absent field', () => {
    // Act
    const policy = parse({ version: 1, publicAccess: 'disabled' });

    // Assess
    expect(policy).toEqual({
      version: 1,
      mode: 'enforce',
      publicAccess: 'disabled',
      privateAccess: 'required',
      exemptionTag: 'eks-endpoint-guard/exempt',
      requireTagExpiry: false,
      gracePeriodMinutes: 0,
      protectActiveClients: 'alert',
      alertLanguage: 'en',
      exemptions: [],
      overrides: [],
    });
  });
});
