import { createHash } from 'node:crypto';
import type { IacCluster } from './cluster';
import type { IacFinding } from './evaluate';
import type { CheckedCluster } from './report';
import { IAC_RULE_HELP, IAC_RULES } from './rules';
import type { IacInputError, Position } from './source';
import { fixText } from './words';

/**
 * SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`): every rule with
 * its help, every finding of a cluster that is not exempt located in its file, with
 * partialFingerprints that stay the same when lines move. A Terraform plan has no source lines:
 * its results point at the resource in the plan file and name the resource address.
 */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions {
  /** The tool's version (package.json). */
  version: string;
  /** A file as given → the artifact URI: relative to the repository root when it lies inside it. */
  uriOf(file: string): string;
}

export type SarifLog = Record<string, unknown> & { runs: SarifRun[] };
type SarifRun = Record<string, unknown> & { results: SarifResult[] };
type SarifResult = Record<string, unknown>;

export function sarifLog(
  checked: readonly CheckedCluster[],
  errors: readonly IacInputError[],
  options: SarifOptions,
): SarifLog {
  const results: SarifResult[] = [];
  for (const { cluster, verdict } of checked) {
    if (verdict.status === 'compliant' || verdict.status === 'exempt') continue;
    for (const finding of verdict.findings) {
      const fix = verdict.target ? ` Write ${fixText(cluster, verdict.target)}.` : '';
      results.push(resultOf(cluster, finding, fix, options));
    }
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'eks-endpoint-guard',
            semanticVersion: options.version,
            rules: IAC_RULES.map((id) => {
              const help = IAC_RULE_HELP[id];
              return {
                id,
                name: help.name,
                shortDescription: { text: help.short },
                fullDescription: { text: help.full },
                help: { text: help.help, markdown: help.help },
                defaultConfiguration: { level: help.level },
                properties: {
                  tags: ['security', 'eks', 'infrastructure-as-code'],
                  precision: help.precision,
                  'security-severity': help.securitySeverity,
                  'problem.severity': help.level === 'error' ? 'error' : 'warning',
                },
              };
            }),
          },
        },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: errors.length === 0,
            toolExecutionNotifications: errors.map((error) => ({
              level: 'error',
              message: { text: error.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: options.uriOf(error.file) },
                    region: regionOf(
                      error.position && {
                        ...error.position,
                        endLine: error.position.line,
                        endColumn: error.position.column + 1,
                      },
                    ),
                  },
                },
              ],
            })),
          },
        ],
        results,
      },
    ],
  };
}

function resultOf(cluster: IacCluster, finding: IacFinding, fix: string, options: SarifOptions): SarifResult {
  const where = (finding.setting ? cluster[finding.setting].at : undefined) ?? cluster.at;
  const what =
    cluster.format === 'terraform' ? cluster.resource : `${cluster.resource} (${cluster.resourceType})`;
  const text = `Cluster "${cluster.name.value}" in ${what}: ${sentence(finding.message)}${fix}`;
  const identity = [cluster.file, cluster.resource, finding.rule, finding.setting ?? ''].join('\u0000');
  const hash = createHash('sha256').update(identity).digest('hex');
  return {
    ruleId: finding.rule,
    ruleIndex: IAC_RULES.indexOf(finding.rule),
    level: IAC_RULE_HELP[finding.rule].level,
    message: { text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: options.uriOf(cluster.file) },
          region: regionOf(where),
        },
        logicalLocations: [
          {
            fullyQualifiedName: cluster.constructPath ?? cluster.resource,
            name: cluster.resource,
            kind: 'resource',
          },
        ],
      },
    ],
    // Not a hash of the line: the same cluster and rule is the same alert wherever the lines move.
    partialFingerprints: { primaryLocationLineHash: `${hash.slice(0, 16)}:1`, 'eksEndpointGuard/v1': hash },
    properties: { cluster: cluster.name.value, resource: cluster.resource, format: cluster.format },
  };
}

/** Code scanning wants every region field; a file without positions gets its first character. */
function regionOf(position: Position | undefined): Record<string, number> {
  const at = position ?? { line: 1, column: 1, endLine: 1, endColumn: 2 };
  const endColumn = at.endLine === at.line && at.endColumn <= at.column ? at.column + 1 : at.endColumn;
  return { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn };
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
