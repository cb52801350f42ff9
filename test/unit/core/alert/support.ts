import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { AlertFacts } from '../../../../functions/core/alert/fact-types';
import { factsOf, resolvedFactsOf } from '../../../../functions/core/alert/facts';
import type { CheckResult } from '../../../../functions/core/result';
import { SAMPLE_OPTIONS, SAMPLES } from '../../../../scripts/alert-samples';

/** The facts of a committed sample (`resolved` resolves the `blocked` one). */
export function sampleFacts(name: string, overrides: Partial<CheckResult> = {}): AlertFacts {
  const result = { ...(SAMPLES[name] as CheckResult), ...overrides };
  const facts =
    name === 'resolved'
      ? resolvedFactsOf(result, SAMPLES.blocked as CheckResult, SAMPLE_OPTIONS)
      : factsOf(result, SAMPLE_OPTIONS);
  if (!facts) throw new Error(`sample ${name} alerts nobody`);
  return facts;
}

export const SAMPLE_NAMES = Object.keys(SAMPLES);

const schema = JSON.parse(readFileSync(join(__dirname, '../../../../docs/alert.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

/** The problems the committed JSON Schema finds in an alert, as `path message` lines. */
export function schemaErrors(alert: unknown): string[] {
  if (validate(alert)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

/** Text that came from outside the guard, with every trick a tag value or event field could try. */
export const HOSTILE =
  'x\u0000y\u202e<!channel> *bold* [click](https://evil.example) `code` & <@U123>\n\r\u2028 done';
