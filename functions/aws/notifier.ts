import type { SNSClient } from '@aws-sdk/client-sns';
import { type Alert, snsMessage } from '../core/alert/alert';
import type { NotifierPort } from '../ports';
import { type ClientSource, resolveClient, sdk } from './clients';

export function notifier(client: ClientSource<SNSClient>, topicArn: string): NotifierPort {
  return {
    async publish(alert: Alert): Promise<string> {
      const { PublishCommand } = sdk.sns();
      const { MessageId } = await resolveClient(client).send(
        new PublishCommand({ TopicArn: topicArn, ...snsMessage(alert) }),
      );
      return MessageId ?? '';
    },
  };
}
