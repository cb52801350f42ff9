import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Alert } from '../core/alert/alert';
import { type Delivery, deliveryMessage } from '../core/alert/deliveries';
import { alertMessage } from '../core/alert/message';
import type { CheckRequest } from '../core/check-request';
import type { DecisionEventEntry } from '../core/decision-event';
import { decisionEventMessage } from '../core/decision-event-message';
import { decisionMessage, type QueuedDecision } from '../core/decision-message';
import { checkRequestMessage } from '../core/triggers/normalise';
import { MAX_RECHECK_DELAY_SECONDS, type RecheckPort } from '../ports';
import { type ClientSource, resolveClient, sdk } from './clients';

/**
 * SQS's answers that mean "no such message of this queue in flight": a forged, stale or foreign
 * receipt handle, or a caller the queue policy denies (only the guard's role may change visibility).
 */
const REFUSALS = new Set([
  'ReceiptHandleIsInvalid',
  'MessageNotInflight',
  'InvalidParameterValue',
  'InvalidParameterValueException',
  'InvalidIdFormat',
  'AccessDenied',
  'AccessDeniedException',
]);

/**
 * `visibilitySeconds`: the queue's visibility timeout, which a confirmation sets again (the message
 * stays hidden for as long as a receive would have hidden it).
 */
export function recheckQueue(
  client: ClientSource<SQSClient>,
  queueUrl: string,
  visibilitySeconds = 1800,
): RecheckPort {
  return {
    async confirm(receiptHandle: string): Promise<boolean> {
      const { ChangeMessageVisibilityCommand } = sdk.sqs();
      try {
        await resolveClient(client).send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: receiptHandle,
            VisibilityTimeout: visibilitySeconds,
          }),
        );
        return true;
      } catch (error) {
        if (REFUSALS.has((error as Error).name)) return false;
        throw error;
      }
    },

    async send(request: CheckRequest, delaySeconds: number): Promise<void> {
      const { SendMessageCommand } = sdk.sqs();
      await resolveClient(client).send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: checkRequestMessage(request),
          DelaySeconds: Math.max(0, Math.min(MAX_RECHECK_DELAY_SECONDS, Math.round(delaySeconds))),
        }),
      );
    },

    async sendAlert(alert: Alert, correlationId: string): Promise<void> {
      const { SendMessageCommand } = sdk.sqs();
      // A short delay gives a throttled or briefly failing SNS a moment before the next try.
      await resolveClient(client).send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: alertMessage(alert, correlationId),
          DelaySeconds: 10,
        }),
      );
    },

    async sendDelivery(delivery: Delivery, correlationId: string): Promise<void> {
      const { SendMessageCommand } = sdk.sqs();
      await resolveClient(client).send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: deliveryMessage(delivery, correlationId),
          DelaySeconds: 10,
        }),
      );
    },

    async sendDecision(decision: QueuedDecision, delaySeconds = 10): Promise<void> {
      const { SendMessageCommand } = sdk.sqs();
      // By default the same short delay: whatever just failed (DynamoDB, SNS, SQS) gets a moment first.
      await resolveClient(client).send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: decisionMessage(decision),
          DelaySeconds: Math.max(0, Math.min(MAX_RECHECK_DELAY_SECONDS, Math.round(delaySeconds))),
        }),
      );
    },

    async sendDecisionEvent(entry: DecisionEventEntry): Promise<void> {
      const { SendMessageCommand } = sdk.sqs();
      // Longer: a refused PutEvents is usually the central bus throttling or unreachable.
      await resolveClient(client).send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: decisionEventMessage(entry),
          DelaySeconds: 60,
        }),
      );
    },
  };
}
