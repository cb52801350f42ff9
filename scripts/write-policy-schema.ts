/** Writes docs/policy.schema.json from the policy schema; a unit test fails when it is stale. */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { policyJsonSchema } from '../functions/core/policy/policy';

export const SCHEMA_PATH = join(__dirname, '..', 'docs', 'policy.schema.json');

/** The exact text of the schema file. */
export function policySchemaText(): string {
  return `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(SCHEMA_PATH, policySchemaText());
  console.log(`wrote ${relative(process.cwd(), SCHEMA_PATH)}`);
}
