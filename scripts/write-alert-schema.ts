/**
 * Writes docs/alert.schema.json and docs/alert-examples/*.json (`npm run alert-schema`); a unit
 * test fails when they are stale.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { factsOf, resolvedFactsOf } from '../functions/core/alert/facts';
import { type AlertJson, alertJsonSchema, renderJson } from '../functions/core/alert/json';
import { SAMPLE_OPTIONS, SAMPLES } from './alert-samples';

const DOCS = join(__dirname, '..', 'docs');
export const ALERT_SCHEMA_PATH = join(DOCS, 'alert.schema.json');
export const ALERT_EXAMPLES_DIR = join(DOCS, 'alert-examples');

export function alertSchemaText(): string {
  return `${JSON.stringify(alertJsonSchema(), null, 2)}\n`;
}

/** File name → the alert@2 object of that sample. */
export function alertExamples(): Record<string, AlertJson> {
  const examples: Record<string, AlertJson> = {};
  for (const [name, result] of Object.entries(SAMPLES)) {
    const facts =
      name === 'resolved'
        ? resolvedFactsOf(result, SAMPLES.blocked as NonNullable<(typeof SAMPLES)['blocked']>, SAMPLE_OPTIONS)
        : factsOf(result, SAMPLE_OPTIONS);
    if (facts) examples[`${name}.json`] = renderJson(facts);
  }
  return examples;
}

export function exampleText(example: AlertJson): string {
  return `${JSON.stringify(example, null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(ALERT_SCHEMA_PATH, alertSchemaText());
  mkdirSync(ALERT_EXAMPLES_DIR, { recursive: true });
  for (const [file, example] of Object.entries(alertExamples())) {
    writeFileSync(join(ALERT_EXAMPLES_DIR, file), exampleText(example));
  }
  // The examples are linted like every other file: let the formatter lay them out.
  spawnSync('npx', ['biome', 'format', '--write', ALERT_EXAMPLES_DIR], { stdio: 'inherit' });
  console.log(
    `wrote ${relative(process.cwd(), ALERT_SCHEMA_PATH)} and ${relative(process.cwd(), ALERT_EXAMPLES_DIR)}/`,
  );
}
