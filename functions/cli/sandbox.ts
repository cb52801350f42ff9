import {
  CreateSubnetCommand,
  CreateVpcCommand,
  type EC2Client,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import { CreateClusterCommand, type EKSClient, UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import { SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { type AwsClients, createAwsClients } from '../aws/clients';
import { alertFor } from '../core/alert/alert';
import type { Trigger } from '../core/check-request';
import type { EndpointConfig } from '../core/endpoint';
import type { CheckResult } from '../core/result';
import { nameFailedCalls } from './errors';
import { emulatorClientConfig } from './local-env';

/**
 * Building blocks for a world of clusters in a local emulator: the demo tells a story with them,
 * the integration tests assert on them. Emulator only: nothing here is meant for a real account.
 */

/**
 * Every client of the guard, bound to the emulator at `endpoint` (loopback only) with dummy
 * credentials, whatever the environment and the shared config files say.
 */
export function emulatorClients(endpoint: string, region: string): AwsClients {
  const clients = createAwsClients(region, undefined, emulatorClientConfig(endpoint, region));
  nameFailedCalls(clients);
  return clients;
}

export interface SandboxVpc {
  vpcId: string;
  subnetIds: string[];
  dnsHostnames: boolean;
}

/** A VPC with two subnets; DNS support is on (the EC2 default), DNS hostnames as asked. */
export async function createVpc(
  ec2: EC2Client,
  cidrPrefix: string,
  dnsHostnames: boolean,
): Promise<SandboxVpc> {
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: `${cidrPrefix}.0.0/16` }));
  const vpcId = Vpc?.VpcId;
  if (!vpcId) throw new Error('CreateVpc returned no VPC id');
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: true } }));
  await ec2.send(
    new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: dnsHostnames } }),
  );
  const subnetIds: string[] = [];
  for (const [index, zone] of ['a', 'b'].entries()) {
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: `${cidrPrefix}.${index + 1}.0/24`,
        AvailabilityZone: `${process.env.AWS_REGION ?? 'us-east-1'}${zone}`,
      }),
    );
    if (Subnet?.SubnetId) subnetIds.push(Subnet.SubnetId);
  }
  return { vpcId, subnetIds, dnsHostnames };
}

export interface ClusterSpec {
  name: string;
  vpc: SandboxVpc;
  /** Left out: the EKS defaults (public on, private off, 0.0.0.0/0). */
  endpoint?: Partial<EndpointConfig>;
  tags?: Record<string, string>;
  /** Send the control-plane audit log to CloudWatch Logs (EKS's default is off). */
  auditLogging?: boolean;
}

/** The emulator accepts any role ARN; a real account would need an EKS service role. */
export const SANDBOX_ROLE_ARN = 'arn:aws:iam::123456789012:role/eks-cluster-role';

export async function createCluster(eks: EKSClient, spec: ClusterSpec): Promise<string> {
  const { cluster } = await eks.send(
    new CreateClusterCommand({
      name: spec.name,
      roleArn: SANDBOX_ROLE_ARN,
      resourcesVpcConfig: { subnetIds: spec.vpc.subnetIds, ...vpcEndpointFields(spec.endpoint ?? {}) },
      ...(spec.tags ? { tags: spec.tags } : {}),
      ...(spec.auditLogging ? { logging: { clusterLogging: [{ types: ['audit'], enabled: true }] } } : {}),
    }),
  );
  return cluster?.arn ?? spec.name;
}

/**
 * What a person does in the console: change the endpoint settings themselves. The emulator replaces
 * the whole resourcesVpcConfig on UpdateClusterConfig (real EKS merges), so the subnets are sent
 * again to keep the cluster's VPC findable.
 */
export async function setEndpoint(
  eks: EKSClient,
  name: string,
  endpoint: Partial<EndpointConfig>,
  vpc: SandboxVpc,
): Promise<void> {
  await eks.send(
    new UpdateClusterConfigCommand({
      name,
      resourcesVpcConfig: { subnetIds: vpc.subnetIds, ...vpcEndpointFields(endpoint) },
    }),
  );
}

function vpcEndpointFields(endpoint: Partial<EndpointConfig>) {
  return {
    ...(endpoint.publicAccess !== undefined ? { endpointPublicAccess: endpoint.publicAccess } : {}),
    ...(endpoint.privateAccess !== undefined ? { endpointPrivateAccess: endpoint.privateAccess } : {}),
    ...(endpoint.publicAccessCidrs ? { publicAccessCidrs: endpoint.publicAccessCidrs } : {}),
  };
}

/** An alert as an SQS subscriber of the topic receives it. */
export interface DeliveredAlert {
  subject: string;
  /** The SNS message attributes (outcome, cluster, severity). */
  attributes: Record<string, string>;
  /** The machine form (`sqs` member of the message). */
  message: Record<string, unknown>;
  /** The email text, rendered from the machine form by the same code that wrote it. */
  text: string;
}

export interface Inbox {
  queueUrl: string;
  /** Everything delivered so far, oldest first; each message is returned once. */
  drain(): Promise<DeliveredAlert[]>;
}

/** A queue subscribed to the alert topic: it receives what a subscriber of the team would. */
export async function subscribeInbox(
  clients: AwsClients,
  topicArn: string,
  queueName: string,
): Promise<Inbox> {
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  if (!QueueUrl) throw new Error(`CreateQueue ${queueName} returned no URL`);
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await clients.sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn ?? '' }),
  );
  return {
    queueUrl: QueueUrl,
    async drain(): Promise<DeliveredAlert[]> {
      const alerts: DeliveredAlert[] = [];
      while (true) {
        const { Messages = [] } = await clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        if (Messages.length === 0) return alerts;
        for (const message of Messages) alerts.push(deliveredAlert(message.Body ?? '{}'));
        await clients.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl,
            Entries: Messages.map((m, index) => ({
              Id: String(index),
              ReceiptHandle: m.ReceiptHandle ?? '',
            })),
          }),
        );
      }
    },
  };
}

/** Reads an SNS notification envelope as delivered to SQS (not raw delivery). */
export function deliveredAlert(body: string): DeliveredAlert {
  const envelope = JSON.parse(body) as {
    Subject?: string;
    Message?: string;
    MessageAttributes?: Record<string, { Value?: string }>;
  };
  const message = JSON.parse(envelope.Message ?? '{}') as Record<string, unknown>;
  const attributes = Object.fromEntries(
    Object.entries(envelope.MessageAttributes ?? {}).map(([key, value]) => [key, value.Value ?? '']),
  );
  return { subject: envelope.Subject ?? '', attributes, message, text: emailText(message) };
}

/** Re-renders the email body from the machine form, which carries the decision. */
export function emailText(message: Record<string, unknown>): string {
  const policy = message.policy as { source?: string; exemptionTag?: string } | undefined;
  const result = {
    attempt: 0,
    trigger: { source: 'event' } satisfies Trigger,
    ...message,
  } as unknown as CheckResult;
  const alert = alertFor(result, {
    exemptionTag: policy?.exemptionTag ?? 'eks-endpoint-guard/exempt',
    policyParameter: policy?.source ?? 'the policy parameter',
  });
  return alert?.text ?? JSON.stringify(message, null, 2);
}

/** A copy of a sample event aimed at another cluster, account or region. */
export function retarget(
  event: unknown,
  target: {
    cluster?: string;
    account?: string;
    region?: string;
    token?: string;
    /** Replaces the CloudTrail `userIdentity` (who made the call). */
    identity?: Record<string, unknown>;
  },
): unknown {
  const copy = JSON.parse(
    target.account
      ? JSON.stringify(event).replace(/\b111122223333\b/g, target.account)
      : JSON.stringify(event),
  ) as Record<string, unknown>;
  const records = copy.Records;
  if (Array.isArray(records)) {
    for (const record of records as { body?: string; awsRegion?: string }[]) {
      const body = JSON.parse(record.body ?? '{}') as { request?: Record<string, unknown> };
      if (body.request) {
        if (target.cluster) body.request.cluster = target.cluster;
        if (target.region) body.request.region = target.region;
      }
      record.body = JSON.stringify(body);
      if (target.region) record.awsRegion = target.region;
    }
    return copy;
  }
  const detail = copy.detail as Record<string, unknown> | undefined;
  if (target.region) copy.region = target.region;
  if (!detail) return copy;
  if (target.region) detail.awsRegion = target.region;
  const params = detail.requestParameters as Record<string, unknown> | undefined;
  if (params && target.cluster) {
    if ('clusterName' in params && !('name' in params)) params.clusterName = target.cluster;
    else params.name = target.cluster;
  }
  if (params && target.token) params.clientRequestToken = target.token;
  if (target.identity) detail.userIdentity = target.identity;
  return copy;
}
