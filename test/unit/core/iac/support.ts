import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
import { cloudFormationClusters } from '../../../../functions/core/iac/cloudformation';
import { evaluateCluster } from '../../../../functions/core/iac/evaluate';
import { jsonSource } from '../../../../functions/core/iac/json-source';
import type { CheckedCluster } from '../../../../functions/core/iac/report';
import { terraformClusters } from '../../../../functions/core/iac/terraform';
import { yamlSource } from '../../../../functions/core/iac/yaml-source';
import { type PolicyInput, validatePolicy } from '../../../../functions/core/policy/policy';

export const NOW = new Date('2026-12-01T10:00:00Z');

export const POLICY: PolicyInput = {
  version: 1,
  publicAccess: 'restricted',
  allowedPublicCidrs: ['203.0.113.0/24'],
  privateAccess: 'required',
  exemptions: [{ cluster: 'legacy-*', reason: 'OPS-123 migration' }],
};

/** Every cluster of a template (YAML or JSON by the file name) or a plan, evaluated. */
export function checkedOf(text: string, file: string, policy: PolicyInput = POLICY): CheckedCluster[] {
  const clusters = file.endsWith('.yaml')
    ? cloudFormationClusters(yamlSource(text, file), file, { format: 'cloudformation' })
    : file.includes('plan')
      ? terraformClusters(jsonSource(text, file), file)
      : cloudFormationClusters(jsonSource(text, file), file, { format: 'cloudformation' });
  const valid = validatePolicy(policy, 'test');
  return clusters.map((cluster) => ({ cluster, verdict: evaluateCluster(cluster, valid, NOW) }));
}

/**
 * The SARIF 2.1.0 JSON Schema as Microsoft ships it in @microsoft/jest-sarif (draft-04). Its one
 * pattern with a stray bracket compiles only without the `u` flag; formats are checked as URLs.
 */
const sarifSchema = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
);
const sarifAjv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
sarifAjv.addFormat('uri', (value: string) => URL.canParse(value));
sarifAjv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'file:///repository/'));
sarifAjv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
const validateSarif = sarifAjv.compile(sarifSchema);

/** What the SARIF 2.1.0 schema finds wrong, as `path message` lines. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (validateSarif(log)) return [];
  return (validateSarif.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

const reportSchema = JSON.parse(
  readFileSync(join(__dirname, '../../../../docs/iac-result.schema.json'), 'utf8'),
);
const validateReport = new Ajv2020({ allErrors: true, strict: false }).compile(reportSchema);

/** What the committed iac-result schema finds wrong in a report. */
export function reportSchemaErrors(report: unknown): string[] {
  if (validateReport(report)) return [];
  return (validateReport.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
