/**
 * Writes docs/iac-result.schema.json, the JSON Schema of `iac check --format json`
 * (`npm run iac-schema`); a unit test fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { iacReportJsonSchema } from '../functions/core/iac/report';

export const IAC_SCHEMA_PATH = join(__dirname, '..', 'docs', 'iac-result.schema.json');

export function iacSchemaText(): string {
  return `${JSON.stringify(iacReportJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(IAC_SCHEMA_PATH, iacSchemaText());
  console.log(`wrote ${relative(process.cwd(), IAC_SCHEMA_PATH)}`);
}
