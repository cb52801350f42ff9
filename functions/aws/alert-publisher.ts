import type { SNSClient } from '@aws-sdk/client-sns';
import type { AlertPublisher } from '../ports';
import { type ClientSource, resolveClient, sdk } from './clients';

export function alertPublisher(client: ClientSource<SNSClient>, topicArn: string): AlertPublisher {
  return {
    async publish(input) {
      const { PublishCommand } = sdk.sns();
      const { MessageId } = await resolveClient(client).send(
        new PublishCommand({ TopicArn: topicArn, ...input }),
      );
      return MessageId ?? '';
    },
  };
}
