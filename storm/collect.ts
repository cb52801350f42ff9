import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { resultOfItem } from '../functions/aws/audit-store';
import type { SweepSummary } from '../functions/core/report/evidence';
import type { CheckResult } from '../functions/core/result';
import type { World } from './world';

/** Reads what the storm left behind in the emulator: the audit table, the alerts, the dead-letter queues. */
export async function auditTable(world: World): Promise<{ records: CheckResult[]; sweeps: SweepSummary[] }> {
  const documents = DynamoDBDocumentClient.from(world.clients.dynamodb);
  const records: CheckResult[] = [];
  const sweeps: SweepSummary[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: world.env.AUDIT_TABLE_NAME, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) {
      const pk = String(item.pk ?? '');
      if (pk.startsWith('#sweep#')) {
        const { pk: _pk, sk: _sk, kind: _kind, expiresAt: _expiresAt, ...summary } = item;
        sweeps.push(summary as unknown as SweepSummary);
      } else if (!pk.startsWith('#')) {
        records.push(resultOfItem(item));
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { records, sweeps };
}

/** Every message of a queue, received and deleted (the queue is quiet by now). */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<{ id: string; body: string }[]> {
  const messages: { id: string; body: string }[] = [];
  for (let empty = 0; empty < 2; ) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
      }),
    );
    if (Messages.length === 0) {
      empty += 1;
      continue;
    }
    for (const m of Messages) messages.push({ id: m.MessageId ?? '', body: m.Body ?? '' });
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
  return messages;
}

/** The event id of an on-failure destination record (Lambda's `requestPayload` is the event). */
export function failedEventId(body: string): string | undefined {
  try {
    const record = JSON.parse(body) as { requestPayload?: { id?: string; detail?: { eventID?: string } } };
    const payload = record.requestPayload;
    return payload?.detail?.eventID ?? payload?.id;
  } catch {
    return undefined;
  }
}
