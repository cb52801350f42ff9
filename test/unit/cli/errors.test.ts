import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../../../functions/aws/clients';
import {
  CliError,
  describeError,
  ErrorInContext,
  errorLine,
  nameFailedCalls,
} from '../../../functions/cli/errors';
import { ConfigError } from '../../../functions/wiring/config';

/** A client of `Client` whose every call fails with `error`, before anything reaches the network. */
function failingClient<C>(
  Client: new (config: object) => C,
  error: Error,
  endpoint = 'http://127.0.0.1:5000',
): C {
  const client = new Client({
    region: 'eu-west-1',
    endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
  });
  nameFailedCalls({ client } as unknown as AwsClients);
  (client as unknown as EKSClient).middlewareStack.add(
    () => async () => {
      throw error;
    },
    { step: 'finalizeRequest', name: 'fail' },
  );
  return client;
}

async function failureOf(send: () => Promise<unknown>): Promise<unknown> {
  try {
    await send();
  } catch (error) {
    return error;
  }
  throw new Error('the call did not fail');
}

const describeCluster = (error: Error, endpoint?: string) =>
  failureOf(() =>
    failingClient(EKSClient, error, endpoint).send(new DescribeClusterCommand({ name: 'prod-api' })),
  );

const serviceError = (name: string, message: string) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

describe('errorLine', () => {
  it('adds the local-env hint to a configuration error', () => {
    // Prepare
    const error = new ConfigError('environment variable TOPIC_ARN is not set');

    // Act
    const line = errorLine(error);

    // Assess
    expect(line).toBe(
      'eks-endpoint-guard: environment variable TOPIC_ARN is not set; run "npm run cli -- local-env" against an emulator, or set POLICY_PARAMETER_NAME, TOPIC_ARN, RECHECK_QUEUE_URL, AUDIT_TABLE_NAME and AWS_REGION',
    );
  });

  it('says which cluster does not exist, and where', async () => {
    // Prepare
    const error = await describeCluster(
      serviceError('ResourceNotFoundException', 'No cluster found for name: prod-api.'),
    );

    // Act
    const line = errorLine(error);

    // Assess
    expect(line).toBe(
      'eks-endpoint-guard: the cluster prod-api does not exist in eu-west-1: check the name and the region (--region)',
    );
  });

  it.each([
    [
      'the audit table',
      () =>
        failureOf(() =>
          failingClient(
            DynamoDBClient,
            serviceError('ResourceNotFoundException', 'Requested resource not found'),
          ).send(
            new QueryCommand({ TableName: 'eks-endpoint-guard-audit', KeyConditionExpression: 'pk = :p' }),
          ),
        ),
      'the audit table eks-endpoint-guard-audit does not exist in eu-west-1',
    ],
    [
      'the policy parameter',
      () =>
        failureOf(() =>
          failingClient(SSMClient, serviceError('ParameterNotFound', '')).send(
            new GetParameterCommand({ Name: '/eks-endpoint-guard/policy' }),
          ),
        ),
      'the policy parameter /eks-endpoint-guard/policy does not exist in eu-west-1',
    ],
    [
      'the alert topic',
      () =>
        failureOf(() =>
          failingClient(SNSClient, serviceError('NotFoundException', 'Topic does not exist')).send(
            new PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts', Message: 'x' }),
          ),
        ),
      'the alert topic arn:aws:sns:eu-west-1:123456789012:alerts does not exist in eu-west-1',
    ],
  ])(
    'says %s of the guard is missing in the region, and how to pick the right one',
    async (_name, fail, what) => {
      // Prepare
      const error = await fail();

      // Act
      const line = errorLine(error);

      // Assess
      expect(line).toBe(
        `eks-endpoint-guard: ${what}: is the guard deployed there? Choose its region with --region, or read its names from its stack with --stack NAME`,
      );
    },
  );

  it('names the identity and the action for an access denied', async () => {
    // Prepare
    const error = await describeCluster(
      serviceError(
        'AccessDeniedException',
        'User: arn:aws:sts::123456789012:assumed-role/ReadOnly/jdoe is not authorized to perform: eks:DescribeCluster on resource: arn:aws:eks:eu-west-1:123456789012:cluster/prod-api',
      ),
    );

    // Act
    const line = errorLine(error);

    // Assess
    expect(line).toBe(
      'eks-endpoint-guard: access denied: arn:aws:sts::123456789012:assumed-role/ReadOnly/jdoe may not call eks:DescribeCluster on arn:aws:eks:eu-west-1:123456789012:cluster/prod-api; its IAM policy (or a service control policy) must allow that action',
    );
  });

  it("names the action from the call when the denial does not, with AWS's own words", async () => {
    // Prepare
    const error = await failureOf(() =>
      failingClient(
        SSMClient,
        serviceError('AccessDeniedException', 'No access to reserved parameter name: /aws/x.'),
      ).send(new PutParameterCommand({ Name: '/aws/x', Value: '{}' })),
    );

    // Act
    const line = errorLine(error);

    // Assess
    expect(line).toBe(
      'eks-endpoint-guard: access denied to ssm:PutParameter (/aws/x): No access to reserved parameter name: /aws/x.',
    );
  });

  it('names the action from the call for a bare denial of permission', async () => {
    // Prepare
    const error = await failureOf(() =>
      failingClient(
        EC2Client,
        serviceError('UnauthorizedOperation', 'You are not authorized to perform this operation.'),
      ).send(new DescribeVpcsCommand({ VpcIds: ['vpc-0abc'] })),
    );

    // Act
    const line = errorLine(error);

    // Assess
    expect(line).toBe(
      'eks-endpoint-guard: access denied: the AWS identity in use may not call ec2:DescribeVpcs; its IAM policy (or a service control policy) must allow that action',
    );
  });

  it('says nothing answers at a loopback endpoint, and asks whether the emulator runs', async () => {
    // Prepare
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5000'), { code: 'ECONNREFUSED' });
    const error = await describeCluster(refused);

    // Act
    const line = errorLine(error, {});

    // Assess
    expect(line).toBe(
      'eks-endpoint-guard: DescribeCluster on prod-api failed: nothing answers at http://127.0.0.1:5000 (connection refused): is the emulator running there? (AWS_ENDPOINT_URL)',
    );
  });

  it('asks whether the region is one when its endpoint has no address', async () => {
    // Prepare
    const unknown = Object.assign(new Error('getaddrinfo ENOTFOUND eks.eu-west-9.amazonaws.com'), {
      code: 'ENOTFOUND',
    });
    const error = await describeCluster(unknown, 'https://eks.eu-west-9.amazonaws.com');

    // Act
    const line = errorLine(error, {});

    // Assess
    expect(line).toBe(
      'eks-endpoint-guard: DescribeCluster on prod-api failed: cannot resolve eks.eu-west-9.amazonaws.com: is eu-west-9 an AWS region (--region, AWS_REGION)? If it is, check the network and DNS',
    );
  });

  it('says an endpoint that times out does not answer, and what to check', async () => {
    // Prepare
    const timeout = Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
    const error = await describeCluster(timeout, 'https://eks.eu-west-1.amazonaws.com');

    // Act
    const line = errorLine(error, {});

    // Assess
    expect(line).toBe(
      'eks-endpoint-guard: DescribeCluster on prod-api failed: https://eks.eu-west-1.amazonaws.com does not answer (timed out): check the network, a proxy (HTTPS_PROXY) or a firewall',
    );
  });

  it.each([
    [
      'no profile',
      {},
      'no AWS credentials found: give --profile NAME (or set AWS_PROFILE), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any values against an emulator)',
    ],
    [
      'a profile that is in no file',
      {
        AWS_PROFILE: 'nosuch',
        AWS_CONFIG_FILE: '/nonexistent/config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      },
      'the AWS profile "nosuch" is not in /nonexistent/config or /nonexistent/credentials: check --profile (aws configure list-profiles lists them)',
    ],
  ])('says what to do when there are no credentials, with %s', async (_name, env, words) => {
    // Prepare
    const error = await describeCluster(
      serviceError('CredentialsProviderError', 'Could not load credentials from any providers'),
    );

    // Act
    const line = errorLine(error, env);

    // Assess
    expect(line).toBe(`eks-endpoint-guard: ${words}`);
  });

  it('tells a known profile without credentials from an unknown one', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'cli-errors-'));
    writeFileSync(
      join(dir, 'config'),
      '[default]\nregion = eu-west-1\n\n[profile platform]\nsso_session = corp\n',
    );
    const env = {
      AWS_PROFILE: 'platform',
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
    };
    const error = await describeCluster(
      serviceError('CredentialsProviderError', 'The SSO session associated with this profile has expired'),
    );

    // Act
    const line = errorLine(error, env);

    // Assess
    expect(line).toBe(
      'eks-endpoint-guard: the SSO sign-in of AWS profile "platform" is missing or expired: run aws sso login --profile platform',
    );
  });

  it.each([
    [
      'ExpiredTokenException',
      'the AWS credentials have expired (ExpiredTokenException): sign in again (aws sso login, or new keys)',
    ],
    [
      'UnrecognizedClientException',
      'AWS does not accept the credentials in eu-west-1 (UnrecognizedClientException): check them; if eu-west-1 is an opt-in region, enable it for the account',
    ],
  ])('says what %s means for the credentials', async (name, words) => {
    // Prepare
    const error = await describeCluster(
      serviceError(name, 'The security token included in the request is invalid'),
    );

    // Act
    const line = errorLine(error, {});

    // Assess
    expect(line).toBe(`eks-endpoint-guard: DescribeCluster on prod-api failed: ${words}`);
  });

  it('finds the failed call behind a wrapping error', async () => {
    // Prepare
    const inner = await describeCluster(serviceError('ThrottlingException', 'Rate exceeded'));
    const error = new Error('could not load the policy', { cause: inner });

    // Act
    const line = errorLine(error);

    // Assess
    expect(line).toBe(
      'eks-endpoint-guard: DescribeCluster on prod-api failed: ThrottlingException: Rate exceeded',
    );
  });

  it('puts what the command was doing before the fault', async () => {
    // Prepare
    const inner = await describeCluster(serviceError('ThrottlingException', 'Rate exceeded'));
    const error = new ErrorInContext('events/x.json: deciding on cluster prod-api', inner);

    // Act
    const line = errorLine(error);

    // Assess
    expect(line).toBe(
      'eks-endpoint-guard: events/x.json: deciding on cluster prod-api: DescribeCluster on prod-api failed: ThrottlingException: Rate exceeded',
    );
  });

  it('keeps a refusal of ours raised inside an AWS call as it is', async () => {
    // Prepare
    const error = await describeCluster(
      new CliError('invoke: refusing to write to https://x.example.com: ...'),
    );

    // Act
    const line = errorLine(error);

    // Assess
    expect(line).toBe('eks-endpoint-guard: invoke: refusing to write to https://x.example.com: ...');
  });

  it('keeps a message of our own and folds it onto one line', () => {
    // Prepare
    const error = new CliError('events/x.json: invalid JSON\n  at line 2');

    // Act
    const line = errorLine(error);

    // Assess
    expect(line).toBe('eks-endpoint-guard: events/x.json: invalid JSON at line 2');
  });

  it('describes something that is not an Error', () => {
    // Act
    const text = describeError('boom');

    // Assess
    expect(text).toBe('unexpected failure: boom');
  });
});
