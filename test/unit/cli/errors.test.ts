import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import type { AwsClients } from '../../../functions/aws/clients';
import { CliError, describeError, errorLine, nameFailedCalls } from '../../../functions/cli/errors';
import { ConfigError } from '../../../functions/wiring/config';

/** An EKS client whose every call fails with `error`, before anything reaches the network. */
function failingClient(error: Error): EKSClient {
  const client = new EKSClient({ region: 'us-east-1', maxAttempts: 1 });
  nameFailedCalls({ eks: client } as unknown as AwsClients);
  client.middlewareStack.add(
    () => async () => {
      throw error;
    },
    { step: 'finalizeRequest', name: 'fail' },
  );
  return client;
}

async function failureOf(client: EKSClient): Promise<unknown> {
  try {
    await client.send(new DescribeClusterCommand({ name: 'prod-api' }));
  } catch (error) {
    return error;
  }
  throw new Error('the call did not fail');
}

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

  it('names the failed call and its resource for an AWS service error', async () => {
    // Prepare
    const service = Object.assign(new Error('No cluster found for name: prod-api.'), {
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    const error = await failureOf(failingClient(service));

    // Act
    const line = errorLine(error);

    // Assess
    expect(line).toBe(
      'eks-endpoint-guard: DescribeCluster on prod-api failed: ResourceNotFoundException: No cluster found for name: prod-api.',
    );
  });

  it('says the endpoint cannot be reached for a refused connection', async () => {
    // Prepare
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5000'), { code: 'ECONNREFUSED' });
    const error = await failureOf(failingClient(refused));

    // Act
    const line = errorLine(error, { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' });

    // Assess
    expect(line).toBe(
      'eks-endpoint-guard: DescribeCluster on prod-api failed: cannot reach the AWS endpoint at http://127.0.0.1:5000 (ECONNREFUSED)',
    );
  });

  it('finds the failed call behind a wrapping error', async () => {
    // Prepare
    const inner = await failureOf(
      failingClient(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })),
    );
    const error = new Error('could not load the policy', { cause: inner });

    // Act
    const line = errorLine(error);

    // Assess
    expect(line).toBe(
      'eks-endpoint-guard: DescribeCluster on prod-api failed: ThrottlingException: Rate exceeded',
    );
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
