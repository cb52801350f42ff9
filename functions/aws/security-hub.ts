import type * as SecurityHub from '@aws-sdk/client-securityhub';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SecurityHubPort } from '../ports';
import { type ClientSource, lazy, resolveClient } from './clients';

/** Security Hub at the SDK boundary: the SecurityHubPort (BatchImportFindings, BatchUpdateFindings). */
/** Security Hub refused some findings: the message names them and why (one line). */
export class SecurityHubImportError extends Error {
  override readonly name = 'SecurityHubImportError';
}

/** BatchImportFindings accepts at most 100 findings per call. */
export const IMPORT_BATCH = 100;
/** The managed control whose finding the guard annotates. */
export const EKS_ENDPOINT_CONTROL = 'EKS.1';

const sdk = lazy((): typeof SecurityHub => require('@aws-sdk/client-securityhub'));

export function securityHub(client: ClientSource<SecurityHubClient>): SecurityHubPort {
  return {
    async importFindings(findings) {
      const { BatchImportFindingsCommand } = sdk();
      const refused: string[] = [];
      for (let start = 0; start < findings.length; start += IMPORT_BATCH) {
        const batch = findings.slice(start, start + IMPORT_BATCH);
        const { FailedCount = 0, FailedFindings = [] } = await resolveClient(client).send(
          new BatchImportFindingsCommand({ Findings: batch as SecurityHub.AwsSecurityFinding[] }),
        );
        if (FailedCount > 0) {
          refused.push(
            ...FailedFindings.map(
              (f) => `${f.Id ?? '?'} (${f.ErrorCode ?? 'error'}: ${f.ErrorMessage ?? 'no message'})`,
            ),
          );
          if (FailedFindings.length === 0) refused.push(`${FailedCount} finding(s)`);
        }
      }
      if (refused.length > 0) {
        throw new SecurityHubImportError(
          `Security Hub refused ${refused.length} finding(s): ${refused.join('; ')}`,
        );
      }
    },

    async noteControlFinding(clusterArn, note, suppress = false) {
      const { GetFindingsCommand, BatchUpdateFindingsCommand } = sdk();
      const { Findings = [] } = await resolveClient(client).send(
        new GetFindingsCommand({
          Filters: {
            ComplianceSecurityControlId: [{ Value: EKS_ENDPOINT_CONTROL, Comparison: 'EQUALS' }],
            ResourceId: [{ Value: clusterArn, Comparison: 'EQUALS' }],
            RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
          },
          MaxResults: 10,
        }),
      );
      const identifiers = Findings.filter((f) => f.Id && f.ProductArn).map((f) => ({
        Id: f.Id as string,
        ProductArn: f.ProductArn as string,
      }));
      if (identifiers.length === 0) return 0;
      await resolveClient(client).send(
        new BatchUpdateFindingsCommand({
          FindingIdentifiers: identifiers,
          Note: note,
          ...(suppress && { Workflow: { Status: 'SUPPRESSED' } }),
        }),
      );
      return identifiers.length;
    },
  };
}
