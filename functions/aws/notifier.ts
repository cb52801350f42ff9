import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { type Alert, snsMessage } from '../core/alert';
import type { NotifierPort } from '../ports';

export function notifier(client: SNSClient, topicArn: string): NotifierPort {
  return {
    async publish(alert: Alert): Promise<string> {
      const { MessageId } = await client.send(
        new PublishCommand({ TopicArn: topicArn, ...snsMessage(alert) }),
      );
      return MessageId ?? '';
    },
  };
}
