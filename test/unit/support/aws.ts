import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  ResourceNotFoundException as LogGroupNotFound,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeDhcpOptionsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  type Cluster,
  DescribeClusterCommand,
  DescribeUpdateCommand,
  EKSClient,
  ListClustersCommand,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsClients } from '../../../functions/aws/clients';
import type { ProcessOptions } from '../../../functions/guard/process-event';
import type { GuardPorts } from '../../../functions/ports';
import { type GuardConfig, loadConfig } from '../../../functions/wiring/config';
import { createPorts, guardOptions } from '../../../functions/wiring/ports';
import { schemaErrors } from '../core/alert/support';

/** AWS faked at the SDK boundary only: every adapter and the guard run for real. */
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:eks-endpoint-guard-alerts`;
export const GUARD_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/eks-endpoint-guard-remediator`;
/** The role's unique id, as the recheck-message sample's SenderId names it. */
export const GUARD_ROLE_ID = 'AROAEXAMPLEROLEID0009';
/** The SenderId SQS reports for a message one of the guard's sessions sent. */
export const GUARD_SENDER = `${GUARD_ROLE_ID}:eks-endpoint-guard-remediator`;

export const TEST_ENV = {
  POLICY_PARAMETER_NAME: '/eks-endpoint-guard/policy',
  TOPIC_ARN,
  RECHECK_QUEUE_URL: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/eks-endpoint-guard-recheck`,
  AUDIT_TABLE_NAME: 'eks-endpoint-guard-audit',
  AWS_REGION: REGION,
  GUARD_ROLE_ARN,
  GUARD_ROLE_ID,
};

export const mocks = {
  eks: mockClient(EKSClient),
  ec2: mockClient(EC2Client),
  ssm: mockClient(SSMClient),
  sns: mockClient(SNSClient),
  sqs: mockClient(SQSClient),
  /** The audit store talks through the document client: mocked there, with plain items. */
  dynamodb: mockClient(DynamoDBDocumentClient),
  /** The drift lookup: no event history unless a test gives one. */
  cloudtrail: mockClient(CloudTrailClient),
  /** The digest bucket. */
  s3: mockClient(S3Client),
  /** The clusters' audit logs: no log group unless a test gives one. */
  logs: mockClient(CloudWatchLogsClient),
};

export const STRICT_POLICY = { version: 1, publicAccess: 'disabled', privateAccess: 'required' };

/** Resets every mock to a healthy account: the policy given, SNS/SQS/DynamoDB accepting, VPC DNS on. */
export function resetAws(policy: unknown = STRICT_POLICY): void {
  for (const mock of Object.values(mocks)) mock.reset();
  givenPolicy(policy);
  mocks.sns.on(PublishCommand).resolves({ MessageId: 'msg-0001' });
  mocks.sqs.on(SendMessageCommand).resolves({ MessageId: 'sqs-0001' });
  mocks.dynamodb.on(PutCommand).resolves({});
  mocks.dynamodb.on(QueryCommand).resolves({ Items: [] });
  givenVpcDns(true, true);
  mocks.eks.on(UpdateClusterConfigCommand).resolves({
    update: { id: 'upd-0001', status: 'InProgress', type: 'EndpointAccessUpdate' },
  });
  mocks.eks.on(DescribeUpdateCommand).resolves({ update: { id: 'upd-0001', status: 'Successful' } });
  mocks.eks.on(ListClustersCommand).resolves({ clusters: [] });
  mocks.s3.on(PutObjectCommand).resolves({ VersionId: 'v-0001' });
  const noLogGroup = new LogGroupNotFound({
    message: 'The specified log group does not exist.',
    $metadata: {},
  });
  mocks.logs.on(StartQueryCommand).rejects(noLogGroup);
  mocks.logs.on(FilterLogEventsCommand).rejects(noLogGroup);
}

/**
 * The cluster's audit log as Logs Insights aggregates it: one stats row per address, user and
 * agent (the shape GetQueryResults returns), the query complete at the first poll.
 */
export function givenAuditClients(
  rows: { client: string; user?: string; agent?: string; requests: number; lastSeen: string }[],
): void {
  mocks.logs.on(StartQueryCommand).resolves({ queryId: 'q-0001' });
  mocks.logs.on(GetQueryResultsCommand).resolves({
    status: 'Complete',
    statistics: { recordsMatched: rows.length, recordsScanned: 1000, bytesScanned: 524_288 },
    results: rows.map((row) => [
      { field: 'client', value: row.client },
      ...(row.user ? [{ field: 'user.username', value: row.user }] : []),
      ...(row.agent ? [{ field: 'userAgent', value: row.agent }] : []),
      { field: 'requests', value: String(row.requests) },
      { field: 'lastSeen', value: row.lastSeen },
    ]),
  });
}

export function givenPolicy(policy: unknown, parameterVersion = 3): void {
  const value = typeof policy === 'string' ? policy : JSON.stringify(policy);
  mocks.ssm.on(GetParameterCommand).resolves({
    Parameter: { Name: TEST_ENV.POLICY_PARAMETER_NAME, Value: value, Version: parameterVersion },
  });
}

export function givenVpcDns(support: boolean, hostnames: boolean): void {
  mocks.ec2
    .on(DescribeVpcAttributeCommand, { Attribute: 'enableDnsSupport' })
    .resolves({ EnableDnsSupport: { Value: support } });
  mocks.ec2
    .on(DescribeVpcAttributeCommand, { Attribute: 'enableDnsHostnames' })
    .resolves({ EnableDnsHostnames: { Value: hostnames } });
  mocks.ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-0a1', VpcId: 'vpc-0abc' }] });
  mocks.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-0abc', DhcpOptionsId: 'default' }] });
}

/** The VPC uses its own DHCP options set, handing out these DNS servers. */
export function givenDhcpServers(servers: string[], dhcpOptionsId = 'dopt-0c0ffee'): void {
  mocks.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-0abc', DhcpOptionsId: dhcpOptionsId }] });
  mocks.ec2.on(DescribeDhcpOptionsCommand).resolves({
    DhcpOptions: [
      {
        DhcpOptionsId: dhcpOptionsId,
        DhcpConfigurations: [
          { Key: 'domain-name', Values: [{ Value: 'corp.example' }] },
          ...(servers.length > 0
            ? [{ Key: 'domain-name-servers', Values: servers.map((Value) => ({ Value })) }]
            : []),
        ],
      },
    ],
  });
}

export interface ClusterSpec {
  name: string;
  status?: string;
  publicAccess?: boolean;
  privateAccess?: boolean;
  cidrs?: string[];
  tags?: Record<string, string>;
  vpcId?: string;
  createdAt?: Date;
  /** The control-plane audit log on (EKS's default is off). */
  auditLogging?: boolean;
}

export function clusterOf(spec: ClusterSpec): Cluster {
  return {
    name: spec.name,
    arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${spec.name}`,
    status: (spec.status ?? 'ACTIVE') as Cluster['status'],
    ...(spec.createdAt ? { createdAt: spec.createdAt } : {}),
    tags: spec.tags ?? {},
    resourcesVpcConfig: {
      subnetIds: ['subnet-0a1', 'subnet-0b2'],
      vpcId: spec.vpcId,
      endpointPublicAccess: spec.publicAccess,
      endpointPrivateAccess: spec.privateAccess,
      publicAccessCidrs: spec.cidrs,
    },
    // EKS groups the log types by whether they are enabled.
    logging: {
      clusterLogging: spec.auditLogging
        ? [
            { types: ['audit'], enabled: true },
            { types: ['api', 'authenticator', 'controllerManager', 'scheduler'], enabled: false },
          ]
        : [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false }],
    },
  };
}

/** The cluster as DescribeCluster returns it (one answer for every call). */
export function givenCluster(spec: ClusterSpec): void {
  mocks.eks.on(DescribeClusterCommand, { name: spec.name }).resolves({ cluster: clusterOf(spec) });
}

export function testConfig(overrides: Record<string, string> = {}): GuardConfig {
  return loadConfig({ ...TEST_ENV, ...overrides });
}

export function testPorts(now: Date = new Date('2026-06-03T10:20:00Z'), config = testConfig()): GuardPorts {
  return createPorts(config, createAwsClients(REGION), () => now);
}

export function processOptions(config = testConfig(), act = true): ProcessOptions {
  return {
    region: REGION,
    account: ACCOUNT,
    guardRoleArn: config.GUARD_ROLE_ARN,
    guardRoleId: config.GUARD_ROLE_ID,
    sweepConcurrency: config.SWEEP_CONCURRENCY,
    guard: guardOptions(config, act),
  };
}

export function loadEvent(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'events', name), 'utf8'));
}

/** The alert published last, decoded from its MessageStructure json form. */
export function lastAlert(): {
  subject: string;
  text: string;
  json: Record<string, unknown>;
  attributes: Record<string, string>;
} {
  const calls = mocks.sns.commandCalls(PublishCommand).filter((c) => c.args[0].input.TopicArn === TOPIC_ARN);
  const input = calls.at(-1)?.args[0].input;
  if (!input) throw new Error('no alert was published');
  const message = JSON.parse(input.Message ?? '{}');
  // Every alert a test reads goes through the committed JSON Schema (docs/alert.schema.json).
  const errors = schemaErrors(JSON.parse(message.sqs));
  if (errors.length > 0)
    throw new Error(`the alert does not match docs/alert.schema.json: ${errors.join('; ')}`);
  const attributes = Object.fromEntries(
    Object.entries(input.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? '']),
  );
  return { subject: input.Subject ?? '', text: message.default, json: JSON.parse(message.sqs), attributes };
}

/** The audit items written, as plain objects (not the claims, which are not records: aws/audit-claims.ts). */
export function auditWrites(): Record<string, unknown>[] {
  return mocks.dynamodb
    .commandCalls(PutCommand)
    .map((call) => call.args[0].input.Item ?? {})
    .filter((item) => item.kind !== 'claim');
}

/**
 * Audit record writes fail `times` times with `error`, then succeed; claims always succeed. Every
 * record accepted is pushed to `accepted` when given.
 */
export function failRecordWrites(error: Error, times = 1, accepted?: Record<string, unknown>[]): void {
  let left = times;
  mocks.dynamodb.on(PutCommand).callsFake((input: { Item?: Record<string, unknown> }) => {
    if (input.Item?.kind === 'claim') return {};
    if (left > 0) {
      left -= 1;
      throw error;
    }
    accepted?.push(input.Item ?? {});
    return {};
  });
}

/** The bodies sent to the recheck queue, parsed, leaving out the records of intent written ahead of updates. */
export function queuedBodies(): Record<string, unknown>[] {
  return mocks.sqs
    .commandCalls(SendMessageCommand)
    .map((call) => JSON.parse(call.args[0].input.MessageBody ?? '{}') as Record<string, unknown>)
    .filter((body) => (body.decision as { pending?: boolean } | undefined)?.pending !== true);
}

/** The records of intent queued ahead of updates (guard/intent.ts). */
export function queuedIntents(): Record<string, unknown>[] {
  return mocks.sqs
    .commandCalls(SendMessageCommand)
    .map((call) => JSON.parse(call.args[0].input.MessageBody ?? '{}') as Record<string, unknown>)
    .filter((body) => (body.decision as { pending?: boolean } | undefined)?.pending === true);
}

/**
 * DynamoDB's conditional put for claims, kept in memory: a claim is taken once, and only its owner
 * may take it again (aws/audit-claims.ts). Records are accepted as usual.
 */
export function givenClaimTable(): Map<string, string> {
  const owners = new Map<string, string>();
  const times = new Map<string, string>();
  mocks.dynamodb
    .on(PutCommand)
    .callsFake(
      (input: { Item?: Record<string, unknown>; ExpressionAttributeValues?: Record<string, unknown> }) => {
        const item = input.Item ?? {};
        if (item.kind !== 'claim') return {};
        const key = `${String(item.pk)} ${String(item.sk)}`;
        const owner = owners.get(key);
        // As the condition says: no claim yet, the owner's own, or (with `after`) an earlier episode's.
        const after = input.ExpressionAttributeValues?.[':after'];
        const earlier = typeof after === 'string' && String(times.get(key)) < after;
        if (owner !== undefined && owner !== item.owner && !earlier) {
          throw new ConditionalCheckFailedException({
            message: 'The conditional request failed',
            $metadata: {},
          });
        }
        owners.set(key, String(item.owner));
        times.set(key, String(item.time));
        return {};
      },
    );
  return owners;
}

/** Decision records go in, every claim is throttled (ProvisionedThroughputExceededException). */
export function givenClaimsThrottled(): void {
  mocks.dynamodb.on(PutCommand).callsFake((input: { Item?: Record<string, unknown> }) => {
    if (input.Item?.kind === 'claim') {
      throw new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} });
    }
    return {};
  });
}

/** The claims taken (their keys), in order. */
export function claimsTaken(): string[] {
  return mocks.dynamodb
    .commandCalls(PutCommand)
    .map((call) => call.args[0].input.Item ?? {})
    .filter((item) => item.kind === 'claim')
    .map((item) => String(item.sk));
}
