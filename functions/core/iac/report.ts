import * as z from 'zod/mini';
import type { IacCluster } from './cluster';
import type { IacVerdict } from './evaluate';
import type { IacInputError, Position } from './source';
import { fixText } from './words';

/**
 * The machine form of `iac check --format json` (`iac-result@1`). The zod schema below is the one
 * source of docs/iac-result.schema.json (scripts/write-iac-schema.ts).
 */
export const IAC_RESULT_SCHEMA = 'eks-endpoint-guard/iac-result@1';

const IAC_RULES = [
  'public-disabled',
  'public-cidrs',
  'private-required',
  'unknown-until-deploy',
  'invalid-value',
] as const;
const line = z.number().check(z.int(), z.minimum(1));

const FindingJson = z.object({
  rule: z.enum(IAC_RULES),
  message: z.string(),
  setting: z.optional(z.enum(['publicAccess', 'privateAccess', 'publicAccessCidrs'])),
  line: z.optional(line),
  column: z.optional(line),
});

const ClusterJson = z.object({
  file: z
    .string()
    .check(z.describe('The file as given on the command line (a template inside a CDK assembly)')),
  format: z.enum(['cloudformation', 'cdk', 'terraform']),
  resource: z.string().check(z.describe('The logical id, or the Terraform resource address')),
  resourceType: z.string(),
  line: z.optional(line),
  column: z.optional(line),
  constructPath: z.optional(z.string()),
  cluster: z.string().check(z.describe("The name the policy's cluster globs are matched against")),
  clusterFrom: z
    .enum(['name', 'logical-id', 'address'])
    .check(z.describe('logical-id / address: the name is generated or known only at deploy')),
  clusterNote: z.optional(z.string()),
  status: z
    .enum(['compliant', 'non-compliant', 'unknown', 'exempt'])
    .check(z.describe('unknown: compliance depends on a value known only at deploy, or on an invalid one')),
  mode: z.enum(['enforce', 'notify']),
  rules: z.string().check(z.describe('The rules applied to this cluster, and where they came from')),
  findings: z.array(FindingJson),
  exemption: z.optional(
    z.object({ source: z.enum(['tag', 'policy']), reason: z.string(), expires: z.optional(z.string()) }),
  ),
  fix: z.optional(
    z.object({
      publicAccess: z.boolean(),
      privateAccess: z.boolean(),
      publicAccessCidrs: z.optional(z.array(z.string())),
      write: z.string().check(z.describe('The compliant values in the words of the file format')),
    }),
  ),
  notes: z.array(z.string()),
});

export const IacReportSchema = z.object({
  schema: z.literal(IAC_RESULT_SCHEMA),
  policy: z.object({
    source: z.string().check(z.describe('The policy file, or the SSM parameter read')),
    digest: z.string(),
  }),
  summary: z.object({
    files: z.number().check(z.int(), z.minimum(0)),
    clusters: z.number().check(z.int(), z.minimum(0)),
    compliant: z.number().check(z.int(), z.minimum(0)),
    nonCompliant: z.number().check(z.int(), z.minimum(0)),
    unknown: z.number().check(z.int(), z.minimum(0)),
    exempt: z.number().check(z.int(), z.minimum(0)),
    unreadable: z.number().check(z.int(), z.minimum(0)),
  }),
  clusters: z.array(ClusterJson),
  errors: z
    .array(
      z.object({ file: z.string(), line: z.optional(line), column: z.optional(line), message: z.string() }),
    )
    .check(z.describe('Inputs that could not be read (exit code 1)')),
});

export type IacReport = z.output<typeof IacReportSchema>;
export type IacClusterJson = z.output<typeof ClusterJson>;

export interface CheckedCluster {
  cluster: IacCluster;
  verdict: IacVerdict;
}

export function iacReport(
  checked: readonly CheckedCluster[],
  errors: readonly IacInputError[],
  policy: { source: string; digest: string },
  files: number,
): IacReport {
  const count = (status: string) => checked.filter((c) => c.verdict.status === status).length;
  return {
    schema: IAC_RESULT_SCHEMA,
    policy,
    summary: {
      files,
      clusters: checked.length,
      compliant: count('compliant'),
      nonCompliant: count('non-compliant'),
      unknown: count('unknown'),
      exempt: count('exempt'),
      unreadable: errors.length,
    },
    clusters: checked.map(clusterJson),
    errors: errors.map((e) => ({ file: e.file, ...(e.position ?? {}), message: e.fault })),
  };
}

function clusterJson({ cluster, verdict }: CheckedCluster): IacClusterJson {
  const { target, exemption } = verdict;
  return {
    file: cluster.file,
    format: cluster.format,
    resource: cluster.resource,
    resourceType: cluster.resourceType,
    ...start(cluster.at),
    ...(cluster.constructPath ? { constructPath: cluster.constructPath } : {}),
    cluster: cluster.name.value,
    clusterFrom: cluster.name.from,
    ...(cluster.name.note ? { clusterNote: cluster.name.note } : {}),
    status: verdict.status,
    mode: verdict.effective.mode,
    rules: rulesText(verdict),
    findings: verdict.findings.map((f) => ({
      ...f,
      ...start(f.setting ? cluster[f.setting].at : cluster.at),
    })),
    ...(exemption
      ? {
          exemption: {
            source: exemption.source,
            reason: exemption.reason,
            ...(exemption.expires ? { expires: exemption.expires } : {}),
          },
        }
      : {}),
    ...(target
      ? {
          fix: {
            publicAccess: target.publicAccess,
            privateAccess: target.privateAccess,
            ...(target.publicAccess ? { publicAccessCidrs: target.publicAccessCidrs } : {}),
            write: fixText(cluster, target),
          },
        }
      : {}),
    notes: cluster.notes,
  };
}

/** `publicAccess "restricted" 203.0.113.0/24, privateAccess "required" (overrides[0] ("dev-*"))` */
export function rulesText(verdict: IacVerdict): string {
  const e = verdict.effective;
  const cidrs = e.publicAccess === 'restricted' ? ` ${e.allowedPublicCidrs.join(', ')}` : '';
  return `publicAccess "${e.publicAccess}"${cidrs}, privateAccess "${e.privateAccess}" (${e.ruleSource})`;
}

function start(position: Position | undefined): { line?: number; column?: number } {
  return position ? { line: position.line, column: position.column } : {};
}

/** The JSON Schema of the report. */
export function iacReportJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(IacReportSchema, { io: 'output', unrepresentable: 'any' }),
    $id: 'https://eks-endpoint-guard/iac-result.schema.json',
    title: 'eks-endpoint-guard iac check result (iac-result@1)',
  };
}
