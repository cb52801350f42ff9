import type { SNSClient } from '@aws-sdk/client-sns';
import type { ChatMessage, TopicMessage } from '../core/alert/deliveries';
import { type ClientSource, resolveClient, sdk } from './clients';

/** Publishes one prepared form of an alert (the alert topic's or the chat topic's) to its topic. */
export interface AlertPublisher {
  /** Returns the SNS message id. */
  publish(input: TopicMessage | ChatMessage): Promise<string>;
}

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
