import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { factsOf } from '../../../../functions/core/alert/facts';
import {
  ALERT_JSON_SCHEMA,
  dedupKeyOf,
  renderJson,
  snsAttributesOf,
} from '../../../../functions/core/alert/json';
import { SAMPLE_OPTIONS, sample } from '../../../../scripts/alert-samples';
import {
  ALERT_EXAMPLES_DIR,
  ALERT_SCHEMA_PATH,
  alertExamples,
  alertSchemaText,
} from '../../../../scripts/write-alert-schema';
import { HOSTILE, SAMPLE_NAMES, sampleFacts, schemaErrors } from './support';

describe('alert@2 JSON', () => {
  it.each(SAMPLE_NAMES)('of the %s sample is valid against docs/alert.schema.json', (name) => {
    // Act
    const json = renderJson(sampleFacts(name));
    // Assess
    expect(schemaErrors(json)).toEqual([]);
    expect(json.schema).toBe(ALERT_JSON_SCHEMA);
  });

  it('stays valid for hostile and very long outside text', () => {
    // Prepare
    const facts = factsOf(
      sample({
        outcome: 'exempt',
        reason: HOSTILE.repeat(50),
        exemption: { source: 'tag', reason: HOSTILE.repeat(50) },
        trigger: { source: 'event', actorArn: HOSTILE.repeat(50), userAgent: HOSTILE, eventId: HOSTILE },
        updateErrors: [{ code: HOSTILE, message: HOSTILE.repeat(50) }],
      }),
      SAMPLE_OPTIONS,
    );
    // Act
    const json = renderJson(facts as NonNullable<typeof facts>);
    // Assess
    expect(schemaErrors(json)).toEqual([]);
  });

  it('is rejected by the schema when a field is wrong, so the schema check can fail', () => {
    // Prepare
    const json = { ...renderJson(sampleFacts('remediated')), status: 'closed', surprise: true };
    // Act
    const errors = schemaErrors(json);
    // Assess
    expect(errors.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps one dedup key per cluster, and one per cluster and rule, across outcomes and times', () => {
    // Act
    const keys = SAMPLE_NAMES.map((name) => renderJson(sampleFacts(name)).dedupKey);
    const open = renderJson(sampleFacts('blocked'));
    const resolved = renderJson(sampleFacts('resolved'));
    // Assess
    expect(new Set(keys)).toEqual(new Set(['eks-endpoint-guard/111122223333/eu-west-1/prod-api']));
    expect(resolved.rules.map((r) => r.dedupKey)).toEqual(open.rules.map((r) => r.dedupKey));
    expect(open.rules.map((r) => r.status)).toEqual(['open', 'open']);
    expect(resolved.rules.map((r) => r.status)).toEqual(['resolved', 'resolved']);
    expect(resolved).toMatchObject({ status: 'resolved', resolves: 'blocked', severity: 'info' });
  });

  it('keys differ between accounts, regions, clusters and rules', () => {
    // Prepare
    const base = { account: '111122223333', region: 'eu-west-1', cluster: 'a' };
    // Act
    const keys = [
      dedupKeyOf(base),
      dedupKeyOf({ ...base, account: '444455556666' }),
      dedupKeyOf({ ...base, region: 'us-east-1' }),
      dedupKeyOf({ ...base, cluster: 'b' }),
      dedupKeyOf(base, 'public-cidrs'),
      dedupKeyOf(base, 'public-disabled'),
    ];
    // Assess
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('carries the SNS attributes a filter policy routes on', () => {
    // Act
    const attributes = snsAttributesOf(sampleFacts('failed'));
    // Assess
    expect(attributes).toEqual({
      outcome: { DataType: 'String', StringValue: 'failed' },
      cluster: { DataType: 'String', StringValue: 'prod-api' },
      severity: { DataType: 'String', StringValue: 'critical' },
      status: { DataType: 'String', StringValue: 'open' },
    });
  });
});

describe('docs/alert.schema.json and docs/alert-examples', () => {
  it('match the alert@2 schema and samples (regenerate with `npm run alert-schema`)', () => {
    // Prepare
    const files = readdirSync(ALERT_EXAMPLES_DIR).filter((f) => f.endsWith('.json'));
    // Act
    const committed = Object.fromEntries(
      files.map((f) => [f, JSON.parse(readFileSync(join(ALERT_EXAMPLES_DIR, f), 'utf8'))]),
    );
    // Assess
    expect(readFileSync(ALERT_SCHEMA_PATH, 'utf8')).toBe(alertSchemaText());
    expect(committed).toEqual(JSON.parse(JSON.stringify(alertExamples())));
  });

  it('give an example for every alerting outcome and for a resolution, each valid', () => {
    // Act
    const examples = alertExamples();
    const outcomes = new Set(
      Object.values(examples).map((e) => (e.status === 'resolved' ? 'resolved' : e.outcome)),
    );
    // Assess
    expect(outcomes).toEqual(
      new Set(['remediated', 'would-remediate', 'exempt', 'blocked', 'failed', 'resolved']),
    );
    expect(Object.values(examples).flatMap(schemaErrors)).toEqual([]);
  });
});
