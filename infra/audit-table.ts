import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

/** The audit indexes the CLI queries (`audit`, `report`); the function never does. */
export const AUDIT_INDEXES = [
  ['byDay', 'day'],
  ['byOutcome', 'outcome'],
] as const;

/** The audit table (id `AuditTable`), created in `scope`: retained, protected, recoverable. */
export function guardAuditTable(scope: Construct): dynamodb.Table {
  const table = new dynamodb.Table(scope, 'AuditTable', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    // Only set on records when auditRetentionDays > 0.
    timeToLiveAttribute: 'expiresAt',
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const [indexName, partitionKey] of AUDIT_INDEXES) {
    table.addGlobalSecondaryIndex({
      indexName,
      partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    });
  }
  return table;
}
