import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CheckRequest } from '../core/check-request';
import { checkRequestMessage } from '../core/triggers';
import type { RecheckPort } from '../ports';

/** SQS caps message delay at 15 minutes. */
export const MAX_DELAY_SECONDS = 900;

export function recheckQueue(client: SQSClient, queueUrl: string): RecheckPort {
  return {
    async send(request: CheckRequest, delaySeconds: number): Promise<void> {
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: checkRequestMessage(request),
          DelaySeconds: Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.round(delaySeconds))),
        }),
      );
    },
  };
}
