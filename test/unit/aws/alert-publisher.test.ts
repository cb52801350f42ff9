import 'aws-sdk-client-mock-jest';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { alertPublisher } from '../../../functions/aws/alert-publisher';
import { chatSnsMessage } from '../../../functions/core/alert/chat';
import { topicMessage } from '../../../functions/core/alert/deliveries';
import { sampleFacts } from '../core/alert/support';

const sns = mockClient(SNSClient);
const ALERTS = 'arn:aws:sns:eu-west-1:111122223333:alerts';
const CHAT = 'arn:aws:sns:eu-west-1:111122223333:chat';

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('alert publisher', () => {
  it('publishes the alert topic form exactly', async () => {
    // Prepare
    const facts = sampleFacts('remediated');
    const input = topicMessage(facts, { subject: '[eks-endpoint-guard] prod-api: x', text: 'body\n' });
    // Act
    const id = await alertPublisher(new SNSClient({ region: 'eu-west-1' }), ALERTS).publish(input);
    // Assess
    expect(id).toBe('m-1');
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({ TopicArn: ALERTS, ...input });
  });

  it('publishes the chat form exactly, as the whole message', async () => {
    // Prepare
    const input = chatSnsMessage(sampleFacts('blocked'), 'ja');
    // Act
    await alertPublisher(() => new SNSClient({ region: 'eu-west-1' }), CHAT).publish(input);
    // Assess
    const sent = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(sent).toEqual({
      TopicArn: CHAT,
      Message: input.Message,
      MessageAttributes: input.MessageAttributes,
    });
    expect(JSON.parse(sent?.Message ?? '{}')).toMatchObject({ version: '1.0', source: 'custom' });
  });

  it('returns an empty id when SNS gives none', async () => {
    // Prepare
    sns.on(PublishCommand).resolves({});
    // Act
    const id = await alertPublisher(new SNSClient({ region: 'eu-west-1' }), CHAT).publish(
      chatSnsMessage(sampleFacts('blocked')),
    );
    // Assess
    expect(id).toBe('');
  });
});
