import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { alertPublisher } from '../../functions/aws/alert-publisher';
import { type AwsClients, createAwsClients } from '../../functions/aws/clients';
import { ChatNotificationSchema } from '../../functions/core/alert/chat';
import { type Delivery, deliveriesOf } from '../../functions/core/alert/deliveries';
import { sampleFacts, schemaErrors } from '../unit/core/alert/support';
import { REGION, useEmulator } from './support';

/** The alert topic and the chat topic through the emulator's SNS, each read back from an SQS subscriber. */
let clients: AwsClients;

beforeAll(() => {
  useEmulator();
  clients = createAwsClients(REGION);
});

async function topicWithInbox(name: string): Promise<{ topicArn: string; read: () => Promise<unknown> }> {
  const { TopicArn = '' } = await clients.sns.send(new CreateTopicCommand({ Name: name }));
  const { QueueUrl = '' } = await clients.sqs.send(new CreateQueueCommand({ QueueName: `${name}-inbox` }));
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await clients.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }));
  return {
    topicArn: TopicArn,
    async read() {
      const { Messages = [] } = await clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }),
      );
      const [first] = Messages;
      return first?.Body ? JSON.parse(first.Body) : undefined;
    },
  };
}

describe('alert deliveries through SNS', () => {
  it('reach a queue subscriber of the alert topic as alert@2, and of the chat topic as the chat shape', async () => {
    // Prepare
    const facts = sampleFacts('remediated');
    const deliveries = deliveriesOf(facts, { language: 'en', chat: true, securityHub: false }, () => ({
      subject: '[eks-endpoint-guard] prod-api: public endpoint turned off',
      text: 'body\n',
    }));
    const alerts = await topicWithInbox('deliveries-alerts');
    const chat = await topicWithInbox('deliveries-chat');
    const input = (channel: Delivery['channel']) =>
      (deliveries.find((d) => d.channel === channel) as Extract<Delivery, { input: unknown }>).input;
    // Act
    await alertPublisher(clients.sns, alerts.topicArn).publish(input('topic'));
    await alertPublisher(clients.sns, chat.topicArn).publish(input('chat'));
    const fromAlerts = (await alerts.read()) as {
      Message: string;
      MessageAttributes: Record<string, unknown>;
    };
    const fromChat = (await chat.read()) as { Message: string };
    // Assess
    expect(schemaErrors(JSON.parse(fromAlerts.Message))).toEqual([]);
    expect(fromAlerts.MessageAttributes).toMatchObject({ severity: { Type: 'String', Value: 'warning' } });
    const notification = ChatNotificationSchema.safeParse(JSON.parse(fromChat.Message));
    expect(notification.success).toBe(true);
    expect(notification.data?.metadata.threadId).toBe('arn:aws:eks:eu-west-1:111122223333:cluster/prod-api');
  });
});
