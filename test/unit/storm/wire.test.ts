import { Readable } from 'node:stream';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { HttpResponse } from '@smithy/core/protocols';
import { isThrottlingError, isTransientError } from '@smithy/service-error-classification';
import {
  eksError,
  SERVICE_ERRORS,
  serverErrorAnswer,
  throttleAnswer,
  type WireAnswer,
} from '../../../storm/wire';

/**
 * The storm's error answers go through each service's real SDK client (its own deserializer, no
 * network): the SDK must read them as the service's throttling or server error, as it would AWS's.
 */
const config = (answer: WireAnswer) => ({
  region: 'us-east-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  maxAttempts: 1,
  requestHandler: {
    handle: async () => ({
      response: new HttpResponse({
        statusCode: answer.status,
        headers: answer.headers,
        body: Readable.from([Buffer.from(answer.body, 'utf8')]),
      }),
    }),
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  },
});

type Call = (answer: WireAnswer) => Promise<unknown>;

const CALLS: Record<string, Call> = {
  eks: (a) => new EKSClient(config(a)).send(new DescribeClusterCommand({ name: 'prod-api' })),
  securityhub: (a) => new SecurityHubClient(config(a)).send(new BatchImportFindingsCommand({ Findings: [] })),
  sns: (a) =>
    new SNSClient(config(a)).send(
      new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:1:t', Message: 'm' }),
    ),
  dynamodb: (a) => new DynamoDBClient(config(a)).send(new GetItemCommand({ TableName: 't', Key: {} })),
  sqs: (a) =>
    new SQSClient({ ...config(a), useQueueUrlAsEndpoint: false }).send(
      new SendMessageCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', MessageBody: 'b' }),
    ),
  ssm: (a) => new SSMClient(config(a)).send(new GetParameterCommand({ Name: 'p' })),
  events: (a) => new EventBridgeClient(config(a)).send(new PutEventsCommand({ Entries: [] })),
  cloudtrail: (a) => new CloudTrailClient(config(a)).send(new LookupEventsCommand({})),
  ec2: (a) => new EC2Client(config(a)).send(new DescribeVpcsCommand({})),
};

async function errorOf(
  call: Call,
  answer: WireAnswer,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await call(answer);
  } catch (error) {
    return error as Error;
  }
  throw new Error('the call succeeded');
}

describe('throttling answers', () => {
  it.each(Object.keys(CALLS))(
    '%s: the SDK reads its own throttling error and would retry it as one',
    async (service) => {
      // Prepare
      const answer = throttleAnswer(service, 'req-1') as WireAnswer;

      // Act
      const error = await errorOf(CALLS[service] as Call, answer);

      // Assess
      const { code, sdkName } = SERVICE_ERRORS[service]?.throttle ?? { code: '' };
      expect(error.name).toBe(sdkName ?? code);
      expect(error.$metadata?.httpStatusCode).toBe(SERVICE_ERRORS[service]?.throttle.status);
      expect(isThrottlingError(error as never)).toBe(true);
    },
  );

  it.each([
    ['sts', 400, /<Code>Throttling<\/Code>/],
    ['s3', 503, /<Code>SlowDown<\/Code>/],
    ['lambda', 429, /"message"/],
    ['logs', 400, /"__type":"ThrottlingException"/],
  ])("%s (no client in this project): HTTP %s in the service's own shape", (service, status, body) => {
    // Act
    const answer = throttleAnswer(service, 'req-1');

    // Assess
    expect(answer?.status).toBe(status);
    expect(answer?.body).toMatch(body);
  });

  it('has no answer for a service the storm does not know', () => {
    // Assess
    expect(throttleAnswer('nonesuch', 'req-1')).toBeUndefined();
  });
});

describe('server errors', () => {
  it.each(Object.keys(CALLS))('%s: the SDK reads an HTTP 5xx error it retries', async (service) => {
    // Prepare
    const answer = serverErrorAnswer(service, 'req-2') as WireAnswer;

    // Act
    const error = await errorOf(CALLS[service] as Call, answer);

    // Assess
    expect(error.$metadata?.httpStatusCode).toBeGreaterThanOrEqual(500);
    expect(isTransientError(error as never)).toBe(true);
  });
});

describe('EKS refusals', () => {
  it.each([
    [409, 'ResourceInUseException'],
    [400, 'InvalidParameterException'],
  ])("HTTP %s %s reads as EKS's own error", async (status, code) => {
    // Act
    const error = await errorOf(CALLS.eks as Call, eksError(status, code, 'no', 'req-3', 'prod-api'));

    // Assess
    expect(error.name).toBe(code);
    expect(error.message).toBe('no');
  });
});
