import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';

/** One client per service, created once and reused (the SDK keeps connections alive). */
export interface AwsClients {
  eks: EKSClient;
  ec2: EC2Client;
  ssm: SSMClient;
  sns: SNSClient;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
}

/**
 * Adaptive retry backs off under throttling across all calls of a client; 5 attempts ride out
 * short faults, after which the request itself is retried from its queue or event source.
 * AWS_ENDPOINT_URL (a local emulator) is honoured by the SDK itself.
 */
export function createAwsClients(region: string): AwsClients {
  const options = { region, maxAttempts: 5, retryMode: 'adaptive' as const };
  return {
    eks: new EKSClient(options),
    ec2: new EC2Client(options),
    ssm: new SSMClient(options),
    sns: new SNSClient(options),
    sqs: new SQSClient(options),
    dynamodb: new DynamoDBClient(options),
  };
}
