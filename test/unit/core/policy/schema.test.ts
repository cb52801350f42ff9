import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { effectivePolicyFor } from '../../../../functions/core/effective';
import { parsePolicy } from '../../../../functions/core/policy/policy';
import { policySchemaText, SCHEMA_PATH } from '../../../../scripts/write-policy-schema';

const EXAMPLES_DIR = join(__dirname, '..', '..', '..', '..', 'docs', 'examples');
const EXAMPLES = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json'));
const read = (file: string) => readFileSync(join(EXAMPLES_DIR, file), 'utf8');
const NOW = new Date('2026-06-15T00:00:00Z');

type Schema = {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  anyOf?: Schema[];
};

/** The JSON Schema keywords the policy schema uses, enough to tell whether an editor would accept a file. */
function schemaFaults(value: unknown, schema: Schema, path = '$'): string[] {
  const faults: string[] = [];
  const fault = (text: string) => faults.push(`${path}: ${text}`);
  if (schema.anyOf) {
    const options = schema.anyOf.map((option) => schemaFaults(value, option, path));
    return options.some((found) => found.length === 0) ? [] : [`${path}: matches none of anyOf`];
  }
  const actual = Array.isArray(value)
    ? 'array'
    : value === null
      ? 'null'
      : Number.isInteger(value)
        ? 'integer'
        : typeof value;
  const matches = schema.type === actual || (schema.type === 'number' && actual === 'integer');
  if (schema.type && !matches) return [`${path}: expected ${schema.type}, got ${actual}`];
  if ('const' in schema && value !== schema.const) fault(`expected ${String(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) fault(`expected one of ${schema.enum.join(', ')}`);
  if (typeof value === 'string') {
    if (value.length < (schema.minLength ?? 0)) fault('too short');
    if (value.length > (schema.maxLength ?? Infinity)) fault('too long');
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) fault('does not match the pattern');
  }
  if (Array.isArray(value)) {
    if (value.length < (schema.minItems ?? 0)) fault('too few items');
    if (value.length > (schema.maxItems ?? Infinity)) fault('too many items');
    value.forEach((item, i) => {
      if (schema.items) faults.push(...schemaFaults(item, schema.items, `${path}[${i}]`));
    });
  }
  if (actual === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) fault(`missing ${key}`);
    for (const [key, item] of Object.entries(object)) {
      const property = schema.properties?.[key];
      if (property) faults.push(...schemaFaults(item, property, `${path}.${key}`));
      else if (schema.additionalProperties === false) fault(`unknown property ${key}`);
    }
  }
  return faults;
}

describe('docs/policy.schema.json', () => {
  it('matches the policy schema (regenerate with `npm run schema`)', () => {
    // Act
    const committed = readFileSync(SCHEMA_PATH, 'utf8');

    // Assess
    expect(committed).toBe(policySchemaText());
  });

  it('rejects an unknown property and a wrong enum value', () => {
    // Prepare
    const schema = JSON.parse(policySchemaText()) as Schema;

    // Act
    const faults = schemaFaults({ version: 1, publicAccess: 'closed', colour: 'red' }, schema);

    // Assess
    expect(faults).toEqual([
      '$.publicAccess: expected one of disabled, restricted, allowed',
      '$: unknown property colour',
    ]);
  });
});

describe('docs/examples', () => {
  it('holds the strict, restricted and notify examples', () => {
    // Assess
    expect(EXAMPLES).toEqual(
      expect.arrayContaining(['policy-strict.json', 'policy-restricted.json', 'policy-notify.json']),
    );
  });

  describe.each(EXAMPLES)('%s', (file) => {
    it('parses as a policy', () => {
      // Act
      const loaded = parsePolicy(read(file), file);

      // Assess
      expect(loaded.policy.version).toBe(1);
    });

    it('validates against the published JSON Schema', () => {
      // Prepare
      const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Schema;

      // Act
      const faults = schemaFaults(JSON.parse(read(file)), schema);

      // Assess
      expect(faults).toEqual([]);
    });

    it('uses documentation address ranges only', () => {
      // Prepare
      const documentation = /^(203\.0\.113\.|198\.51\.100\.|192\.0\.2\.|2001:db8:)/;

      // Act
      const cidrs = read(file).match(/"[0-9a-f:.]+\/\d+"/g) ?? [];

      // Assess
      for (const cidr of cidrs) expect(cidr.slice(1, -1)).toMatch(documentation);
    });
  });

  it('policy-strict.json disables the public endpoint and requires the private one', () => {
    // Act
    const { policy } = parsePolicy(read('policy-strict.json'), 'policy-strict.json');

    // Assess
    expect(policy).toMatchObject({ mode: 'enforce', publicAccess: 'disabled', privateAccess: 'required' });
  });

  it('policy-restricted.json restricts production, relaxes dev-* and exempts legacy-* until its expiry', () => {
    // Prepare
    const { policy } = parsePolicy(read('policy-restricted.json'), 'policy-restricted.json');

    // Act
    const prod = effectivePolicyFor(policy, { name: 'prod-api', tags: {} }, NOW);
    const dev = effectivePolicyFor(policy, { name: 'dev-api', tags: {} }, NOW);
    const legacy = effectivePolicyFor(policy, { name: 'legacy-billing', tags: {} }, NOW);

    // Assess
    expect(prod).toMatchObject({
      publicAccess: 'restricted',
      privateAccess: 'required',
      ruleSource: 'policy',
    });
    expect(dev).toMatchObject({ publicAccess: 'allowed', privateAccess: 'optional' });
    expect(legacy.exemption).toMatchObject({ source: 'policy', expires: '2027-01-31' });
  });

  it('policy-notify.json only notifies', () => {
    // Act
    const { policy } = parsePolicy(read('policy-notify.json'), 'policy-notify.json');

    // Assess
    expect(policy.mode).toBe('notify');
  });

  it('policy-tag-controls.json requires dated tags, caps them at 14 days and has a break-glass until a UTC time', () => {
    // Prepare
    const { policy } = parsePolicy(read('policy-tag-controls.json'), 'policy-tag-controls.json');
    const tagged = { name: 'prod-api', tags: { 'eks-endpoint-guard/exempt': 'OPS-1' } };

    // Act
    const undated = effectivePolicyFor(policy, tagged, NOW);
    const breakGlass = effectivePolicyFor(policy, { name: 'incident-7', tags: {} }, NOW);

    // Assess
    expect(policy).toMatchObject({ requireTagExpiry: true, maxTagExemptionDays: 14 });
    expect(undated.exemption).toBeUndefined();
    expect(undated.rejectedTag?.why).toMatch(/requires an expiry/);
    expect(breakGlass.exemption).toMatchObject({ expires: '2027-01-31T18:00:00Z' });
  });
});
