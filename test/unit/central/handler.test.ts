import 'aws-sdk-client-mock-jest';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { centralEnv } from '../../../functions/central/handler';
import { busEvent } from './support';

const documents = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
const decision = {
  schema: 'eks-endpoint-guard/alert@2',
  cluster: 'prod-api',
  outcome: 'failed',
  severity: 'critical',
  reason: 'r',
  time: new Date().toISOString(),
  correlationId: 'c-1',
};

describe('central Lambda entry points', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    documents.reset();
    sns.reset();
    process.env.CENTRAL_AUDIT_TABLE_NAME = 'central-from-env';
    process.env.AWS_REGION = 'eu-west-1';
    process.env.MEMBER_REGIONS = 'us-east-1,eu-west-1';
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  test('record, watch and notify read the table, the regions and the topics from the environment', async () => {
    // Prepare
    process.env.CENTRAL_CHAT_TOPIC_ARN = 'arn:aws:sns:eu-west-1:222233334444:chat';
    documents.on(PutCommand).resolves({});
    documents.on(QueryCommand).resolves({ Items: [] });
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const { record, watch, notify } = await import('../../../functions/central/handler');
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      // Act
      const written = await record(busEvent('EKS Endpoint Guard Decision', decision));
      const watched = await watch();
      const notified = await notify(busEvent('EKS Endpoint Guard Decision', decision));
      // Assess
      expect(written).toBe('written');
      expect(watched).toEqual({ members: 0, stale: 0, expected: 0, missing: 0 });
      expect(notified).toBe('published');
      expect(documents).toHaveReceivedCommandWith(PutCommand, { TableName: 'central-from-env' });
      expect(sns).toHaveReceivedCommandWith(PublishCommand, {
        TopicArn: 'arn:aws:sns:eu-west-1:222233334444:chat',
      });
    } finally {
      log.mockRestore();
    }
  });

  test.each([
    [{ MEMBER_REGIONS: '' }, 'MEMBER_REGIONS must list the StackSet regions, e.g. us-east-1,eu-west-1'],
    [
      { MEMBER_REGIONS: 'us-east-1,mars' },
      'MEMBER_REGIONS must list the StackSet regions, e.g. us-east-1,eu-west-1',
    ],
    [{ CENTRAL_AUDIT_TABLE_NAME: '' }, 'CENTRAL_AUDIT_TABLE_NAME and AWS_REGION must be set'],
  ])('refuses the environment %j in one line', (change, message) => {
    // Act
    const read = () => centralEnv({ ...process.env, ...change });
    // Assess
    expect(read).toThrow(message);
  });
});
