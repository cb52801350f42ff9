import 'aws-sdk-client-mock-jest';
import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeUpdateCommand,
  type ErrorCode,
  InvalidParameterException,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckRequest } from '../../../functions/core/check-request';
import type { CheckResult } from '../../../functions/core/result';
import { checkCluster, deliverQueuedDecision } from '../../../functions/guard/check';
import { DeliveryError } from '../../../functions/guard/delivery';
import type { GuardOptions } from '../../../functions/guard/options';
import {
  ACCOUNT,
  auditWrites,
  failRecordWrites,
  givenCluster,
  givenDhcpServers,
  givenPolicy,
  givenVpcDns,
  lastAlert,
  mocks,
  REGION,
  resetAws,
  testPorts,
} from '../support/aws';

const NOW = new Date('2026-06-03T10:20:00Z');
const OPTIONS: GuardOptions = {
  region: REGION,
  act: true,
  recheckDeadlineMinutes: 120,
  flipFlop: { threshold: 3, windowMinutes: 60 },
};

function request(cluster: string, overrides: Partial<CheckRequest> = {}): CheckRequest {
  return {
    cluster,
    region: REGION,
    account: ACCOUNT,
    correlationId: 'evt-0001',
    attempt: 0,
    trigger: {
      source: 'event',
      eventId: 'evt-0001',
      eventName: 'UpdateClusterConfig',
      eventTime: '2026-06-03T10:17:03Z',
      actorArn: 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe',
      sourceIp: '198.51.100.77',
      userAgent: 'aws-cli/2.17.0',
    },
    ...overrides,
  };
}

function check(req: CheckRequest, now = NOW, options = OPTIONS): Promise<CheckResult> {
  return checkCluster(req, testPorts(now), options);
}

/** Audit history as DynamoDB would return it for the cluster's partition. */
function givenHistory(records: Partial<CheckResult>[]): void {
  mocks.dynamodb.on(QueryCommand).resolves({
    Items: records.map((r) => ({ pk: `${REGION}#prod-api`, sk: `${r.time}#x`, ...r })),
  });
}

beforeEach(() => resetAws());

describe('compliant cluster', () => {
  it('records compliant and changes nothing', async () => {
    // Prepare
    givenCluster({ name: 'payments', publicAccess: false, privateAccess: true });

    // Act
    const result = await check(request('payments'));

    // Assess
    expect(result.outcome).toBe('compliant');
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
    expect(auditWrites()).toHaveLength(1);
    expect(auditWrites()[0]).toMatchObject({
      outcome: 'compliant',
      cluster: 'payments',
      pk: `${REGION}#payments`,
    });
  });
});

describe('public endpoint under publicAccess "disabled"', () => {
  it('turns public off and private on, with endpoint fields only and a derived token', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result.outcome).toBe('remediated');
    expect(result.updateId).toBe('upd-0001');
    expect(result.before).toEqual({
      publicAccess: true,
      privateAccess: false,
      publicAccessCidrs: ['0.0.0.0/0'],
    });
    expect(result.after).toMatchObject({ publicAccess: false, privateAccess: true });
    const input = mocks.eks.commandCalls(UpdateClusterConfigCommand)[0]?.args[0].input;
    expect(input).toEqual({
      name: 'prod-api',
      clientRequestToken: expect.stringMatching(/^eks-endpoint-guard-[0-9a-f]{40}$/),
      resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true },
    });
  });

  it('derives the same token for a duplicate delivery of the same event', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });

    // Act
    await check(request('prod-api'));
    await check(request('prod-api'));

    // Assess
    const tokens = mocks.eks
      .commandCalls(UpdateClusterConfigCommand)
      .map((c) => c.args[0].input.clientRequestToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toBe(tokens[1]);
  });

  it('asks for a new update when a retry of the same request finds the cluster changed again', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    await check(request('prod-api'));
    givenCluster({ name: 'prod-api', cidrs: ['198.51.100.0/24'] });

    // Act
    await check(request('prod-api'));

    // Assess
    const tokens = mocks.eks
      .commandCalls(UpdateClusterConfigCommand)
      .map((c) => c.args[0].input.clientRequestToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).not.toBe(tokens[0]);
  });

  it('alerts with who, what and the access consequence', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });

    // Act
    const result = await check(request('prod-api'));

    // Assess
    const alert = lastAlert();
    expect(alert.subject).toBe(
      '[eks-endpoint-guard] prod-api: public endpoint turned off (was open to 0.0.0.0/0)',
    );
    expect(alert.attributes).toEqual({
      outcome: 'remediated',
      cluster: 'prod-api',
      severity: 'warning',
      status: 'open',
    });
    expect(alert.text).toContain('arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe');
    expect(alert.text).toContain('198.51.100.77');
    expect(alert.text).toMatch(/VPN, Direct Connect or peering/);
    expect(result.alertMessageId).toBe('msg-0001');
  });

  it('records the decision with policy digest and trigger, and queues the update follow-up', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', createdAt: new Date('2026-06-01T09:00:00Z') });

    // Act
    await check(request('prod-api'));

    // Assess
    const [record] = auditWrites();
    expect(record).toMatchObject({
      outcome: 'remediated',
      clusterArn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/prod-api`,
      account: ACCOUNT,
      updateId: 'upd-0001',
      updateStatus: 'InProgress',
      alertMessageId: 'msg-0001',
      trigger: { eventId: 'evt-0001', sourceIp: '198.51.100.77' },
      clusterCreatedAt: '2026-06-01T09:00:00.000Z',
      policy: {
        version: 1,
        policyParameterVersion: 3,
        digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        mode: 'enforce',
      },
    });
    const [intent, sent] = mocks.sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
    // The record of intent went out before the update (guard/intent.ts), the follow-up after it.
    expect(JSON.parse(intent?.MessageBody ?? '{}').decision).toMatchObject({ pending: true });
    expect(sent?.DelaySeconds).toBe(30);
    expect(JSON.parse(sent?.MessageBody ?? '{}').request.followUpdate).toMatchObject({
      updateId: 'upd-0001',
    });
  });
});

describe('publicAccess "restricted"', () => {
  it('narrows 0.0.0.0/0 to the allowed blocks and keeps public on', async () => {
    // Prepare
    givenPolicy({ version: 1, publicAccess: 'restricted', allowedPublicCidrs: ['203.0.113.0/24'] });
    givenCluster({ name: 'analytics', publicAccess: true, privateAccess: true, cidrs: ['0.0.0.0/0'] });

    // Act
    const result = await check(request('analytics'));

    // Assess
    expect(result.outcome).toBe('remediated');
    expect(mocks.eks).toHaveReceivedCommandWith(UpdateClusterConfigCommand, {
      resourcesVpcConfig: {
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['203.0.113.0/24'],
      },
    });
    expect(mocks.ec2).not.toHaveReceivedAnyCommand();
  });
});

describe('policy mode "notify"', () => {
  it('reports would-remediate and alerts without changing the cluster', async () => {
    // Prepare
    givenPolicy({ version: 1, mode: 'notify', publicAccess: 'disabled' });
    givenCluster({ name: 'prod-api' });

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result.outcome).toBe('would-remediate');
    expect(result.after).toMatchObject({ publicAccess: false, privateAccess: true });
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
    expect(lastAlert().attributes.outcome).toBe('would-remediate');
  });

  it('does not alert again for the same situation', async () => {
    // Prepare
    givenPolicy({ version: 1, mode: 'notify', publicAccess: 'disabled' });
    givenCluster({ name: 'prod-api' });
    const first = await check(request('prod-api'));
    mocks.sns.resetHistory();
    givenHistory([first]);

    // Act
    const second = await check(request('prod-api', { correlationId: 'evt-0002' }));

    // Assess
    expect(second.outcome).toBe('would-remediate');
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });
});

describe('report only (check without --fix)', () => {
  it('decides without changing, alerting, recording or queueing', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });

    // Act
    const result = await check(request('prod-api'), NOW, { ...OPTIONS, act: false });

    // Assess
    expect(result.outcome).toBe('would-remediate');
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
    expect(mocks.sns).not.toHaveReceivedAnyCommand();
    expect(mocks.dynamodb).not.toHaveReceivedAnyCommand();
    expect(mocks.sqs).not.toHaveReceivedAnyCommand();
  });
});

describe('lockout guard in report-only and notify runs', () => {
  it('reports blocked without changing anything when check runs without --fix', async () => {
    // Prepare
    givenVpcDns(true, false);
    givenCluster({ name: 'edge-proxy' });

    // Act
    const result = await check(request('edge-proxy'), NOW, { ...OPTIONS, act: false });

    // Assess
    expect(result.outcome).toBe('blocked');
    expect(result.fix).toContain('--enable-dns-hostnames');
    expect(mocks.sns).not.toHaveReceivedAnyCommand();
    expect(mocks.dynamodb).not.toHaveReceivedAnyCommand();
  });

  it('keeps would-remediate in notify mode and says what would block enforcement', async () => {
    // Prepare
    givenPolicy({ version: 1, mode: 'notify', publicAccess: 'disabled' });
    givenVpcDns(true, false);
    givenCluster({ name: 'edge-proxy' });

    // Act
    const result = await check(request('edge-proxy'));

    // Assess
    expect(result.outcome).toBe('would-remediate');
    expect(result.fix).toContain('--enable-dns-hostnames');
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
  });
});

describe('exemptions', () => {
  it('leaves a tagged cluster alone and alerts on the first sighting', async () => {
    // Prepare
    givenCluster({ name: 'legacy-batch', tags: { 'eks-endpoint-guard/exempt': 'OPS-123 migration' } });

    // Act
    const result = await check(request('legacy-batch'));

    // Assess
    expect(result.outcome).toBe('exempt');
    expect(result.exemption).toEqual({ source: 'tag', reason: 'OPS-123 migration' });
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
    expect(lastAlert().attributes).toMatchObject({ outcome: 'exempt', severity: 'info' });
  });

  it('stays quiet when the same exempt violation was already reported', async () => {
    // Prepare
    givenCluster({ name: 'legacy-batch', tags: { 'eks-endpoint-guard/exempt': 'OPS-123' } });
    const first = await check(request('legacy-batch'));
    mocks.sns.resetHistory();
    givenHistory([first]);

    // Act
    await check(request('legacy-batch', { correlationId: 'sweep-1/legacy-batch' }));

    // Assess
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('no longer applies a policy exemption after its expiry day', async () => {
    // Prepare
    givenPolicy({
      version: 1,
      publicAccess: 'disabled',
      exemptions: [{ cluster: 'legacy-*', reason: 'OPS-123', expires: '2026-06-02' }],
    });
    givenCluster({ name: 'legacy-batch' });

    // Act
    const result = await check(request('legacy-batch'));

    // Assess
    expect(result.outcome).toBe('remediated');
  });
});

describe('lockout guard', () => {
  it('blocks turning public off when the VPC has DNS hostnames off, and says what to fix', async () => {
    // Prepare
    givenVpcDns(true, false);
    givenCluster({ name: 'edge-proxy' });

    // Act
    const result = await check(request('edge-proxy'));

    // Assess
    expect(result.outcome).toBe('blocked');
    expect(result.fix).toContain('aws ec2 modify-vpc-attribute --vpc-id vpc-0abc --enable-dns-hostnames');
    expect(result.fix).not.toContain('--enable-dns-support');
    // The same as facts, for the alert's phrase in each language
    expect(result.lockout).toEqual({ vpcId: 'vpc-0abc', turnOn: ['dnsHostnames'] });
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
    expect(lastAlert().attributes).toMatchObject({ outcome: 'blocked', severity: 'critical' });
  });

  it('finds the VPC through the subnets when DescribeCluster leaves out vpcId', async () => {
    // Prepare
    givenVpcDns(false, false);
    givenCluster({ name: 'edge-proxy' });

    // Act
    const result = await check(request('edge-proxy'));

    // Assess
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeSubnetsCommand, { SubnetIds: ['subnet-0a1'] });
    expect(result.fix).toContain('DNS support and DNS hostnames');
  });

  it('uses the reported vpcId without looking at subnets', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', vpcId: 'vpc-0fed' });

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result.outcome).toBe('remediated');
    expect(mocks.ec2).not.toHaveReceivedCommand(DescribeSubnetsCommand);
  });

  it('does not look at DNS when public access stays on', async () => {
    // Prepare
    givenVpcDns(false, false);
    givenPolicy({ version: 1, publicAccess: 'allowed', privateAccess: 'required' });
    givenCluster({ name: 'prod-api' });

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result.outcome).toBe('remediated');
    expect(result.after).toMatchObject({ publicAccess: true, privateAccess: true });
    expect(mocks.ec2).not.toHaveReceivedAnyCommand();
  });
});

describe('lockout guard: DHCP options', () => {
  it('blocks turning public off when the VPC DNS servers leave out AmazonProvidedDNS, with the commands to fix it', async () => {
    // Prepare
    givenDhcpServers(['10.0.0.53', '10.0.1.53']);
    givenCluster({ name: 'edge-proxy' });

    // Act
    const result = await check(request('edge-proxy'));

    // Assess
    expect(result.outcome).toBe('blocked');
    expect(result.fix).toBe(
      'the DHCP options dopt-0c0ffee of vpc-0abc hand out only 10.0.0.53, 10.0.1.53, not AmazonProvidedDNS, so clients cannot resolve the private endpoint: forward us-east-1.eks.amazonaws.com from those DNS servers to the VPC resolver (a Route 53 Resolver inbound endpoint), or associate DHCP options that include it (aws ec2 create-dhcp-options --dhcp-configurations "Key=domain-name-servers,Values=AmazonProvidedDNS"; then aws ec2 associate-dhcp-options --dhcp-options-id <the new dopt- id> --vpc-id vpc-0abc)',
    );
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
    expect(lastAlert().text).toContain('aws ec2 create-dhcp-options');
  });

  it('names every fault at once', async () => {
    // Prepare
    givenVpcDns(true, false);
    givenDhcpServers([]);
    givenCluster({ name: 'edge-proxy' });

    // Act
    const result = await check(request('edge-proxy'));

    // Assess
    expect(result.fix).toMatch(
      /^turn on DNS hostnames in vpc-0abc .*; and the DHCP options dopt-0c0ffee of vpc-0abc name no DNS servers/,
    );
  });

  it('remediates when the custom DNS servers include AmazonProvidedDNS', async () => {
    // Prepare
    givenDhcpServers(['10.0.0.53', 'AmazonProvidedDNS']);
    givenCluster({ name: 'edge-proxy' });

    // Act
    const result = await check(request('edge-proxy'));

    // Assess
    expect(result.outcome).toBe('remediated');
  });

  it('looks at no VPC for a cluster that stays public', async () => {
    // Prepare
    givenPolicy({ version: 1, publicAccess: 'restricted', allowedPublicCidrs: ['203.0.113.0/24'] });
    givenDhcpServers(['10.0.0.53']);
    givenCluster({ name: 'analytics' });

    // Act
    const result = await check(request('analytics'));

    // Assess
    expect(result.outcome).toBe('remediated');
    expect(mocks.ec2).not.toHaveReceivedAnyCommand();
  });
});

describe('narrowing the CIDRs of a cluster without private access', () => {
  it('says that nodes behind NAT need their egress IPs in the allowed list', async () => {
    // Prepare
    givenPolicy({
      version: 1,
      publicAccess: 'restricted',
      allowedPublicCidrs: ['203.0.113.0/24'],
      privateAccess: 'optional',
    });
    givenCluster({ name: 'analytics', privateAccess: false });

    // Act
    const result = await check(request('analytics'));

    // Assess
    expect(result.accessNote).toBe(
      'private access stays off, so nodes reach the API server through the public endpoint: the egress IPs of their NAT gateways must be among 203.0.113.0/24, or turn private access on',
    );
    expect(auditWrites()[0]).toMatchObject({ accessNote: result.accessNote });
    expect(lastAlert().json).toMatchObject({
      access: expect.arrayContaining([{ kind: 'nodes-through-nat' }]),
    });
  });

  it('says nothing of NAT when private access is on', async () => {
    // Prepare
    givenPolicy({ version: 1, publicAccess: 'restricted', allowedPublicCidrs: ['203.0.113.0/24'] });
    givenCluster({ name: 'analytics', privateAccess: true });

    // Act
    const result = await check(request('analytics'));

    // Assess
    expect(result.accessNote).toBeUndefined();
  });
});

describe('policy faults', () => {
  it('fails without changing anything when the policy is invalid, naming the parameter', async () => {
    // Prepare
    givenPolicy({ version: 1, publicAccess: 'sometimes' });
    givenCluster({ name: 'prod-api' });

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result.outcome).toBe('failed');
    expect(result.reason).toBe(
      'policy /eks-endpoint-guard/policy: publicAccess: must be one of "disabled", "restricted", "allowed", got "sometimes"; nothing changed',
    );
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
    expect(lastAlert().text).toContain('/eks-endpoint-guard/policy');
  });

  it('fails when the parameter does not exist', async () => {
    // Prepare
    mocks.ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    givenCluster({ name: 'prod-api' });

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result.outcome).toBe('failed');
    expect(result.reason).toContain('the parameter does not exist');
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
  });
});

describe('region', () => {
  it('ignores a request for a cluster of another region without touching this region', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });

    // Act
    const result = await check(request('prod-api', { region: 'eu-west-1' }));

    // Assess
    expect(result.outcome).toBe('ignored');
    expect(result.reason).toBe(
      'the cluster is in eu-west-1; this guard runs in us-east-1 (deploy it in each region)',
    );
    expect(mocks.eks).not.toHaveReceivedAnyCommand();
    expect(mocks.sns).not.toHaveReceivedAnyCommand();
  });
});

describe('cluster gone', () => {
  it('ignores a trigger for a cluster that no longer exists', async () => {
    // Prepare
    mocks.eks
      .on(DescribeClusterCommand)
      .rejects(new ResourceNotFoundException({ message: 'No cluster', $metadata: {} }));

    // Act
    const result = await check(request('deleted-one'));

    // Assess
    expect(result.outcome).toBe('ignored');
    expect(result.reason).toMatch(/not found/);
    expect(mocks.sns).not.toHaveReceivedAnyCommand();
  });
});

describe('busy clusters', () => {
  it('defers a CREATING cluster with back-off, a deadline and the original trigger', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', status: 'CREATING' });

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result.outcome).toBe('deferred');
    expect(result.deadline).toBe('2026-06-03T12:20:00.000Z');
    expect(result.nextCheckAt).toBe('2026-06-03T10:20:30.000Z');
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
    const sent = mocks.sqs.commandCalls(SendMessageCommand)[0]?.args[0].input;
    expect(sent?.DelaySeconds).toBe(30);
    const queued = JSON.parse(sent?.MessageBody ?? '{}').request;
    expect(queued).toMatchObject({
      attempt: 1,
      deadline: '2026-06-03T12:20:00.000Z',
      correlationId: 'evt-0001',
    });
    expect(queued.trigger.actorArn).toBe('arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe');
  });

  it('doubles the delay on each attempt up to five minutes', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', status: 'UPDATING' });

    // Act
    await check(request('prod-api', { attempt: 2, deadline: '2026-06-03T12:00:00.000Z' }));
    await check(request('prod-api', { attempt: 6, deadline: '2026-06-03T12:00:00.000Z' }));

    // Assess
    const delays = mocks.sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input.DelaySeconds);
    expect(delays).toEqual([120, 300]);
  });

  it('remediates on the re-check once the cluster is ACTIVE', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', status: 'CREATING' });
    await check(request('prod-api'));
    const queued = JSON.parse(
      mocks.sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody ?? '{}',
    ).request;
    givenCluster({ name: 'prod-api', status: 'ACTIVE' });

    // Act
    const result = await check(queued, new Date('2026-06-03T10:21:00Z'));

    // Assess
    expect(result.outcome).toBe('remediated');
    expect(result.attempt).toBe(1);
    expect(result.trigger.actorArn).toBe('arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe');
  });

  it('defers when EKS answers ResourceInUseException', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    mocks.eks
      .on(UpdateClusterConfigCommand)
      .rejects(new ResourceInUseException({ message: 'update in progress', $metadata: {} }));

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result.outcome).toBe('deferred');
    expect(result.reason).toMatch(/another update is in progress/);
    expect(queuedBodies().map((b) => b.kind)).toEqual(['eks-endpoint-guard/check-request']);
  });

  it('fails loudly when the deadline has passed', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', status: 'UPDATING' });

    // Act
    const result = await check(request('prod-api', { attempt: 9, deadline: '2026-06-03T10:00:00.000Z' }));

    // Assess
    expect(result.outcome).toBe('failed');
    expect(result.reason).toMatch(/deadline 2026-06-03T10:00:00.000Z passed/);
    expect(result.cause).toEqual({
      kind: 'deadline',
      busy: { kind: 'cluster', status: 'UPDATING' },
      attempts: 9,
      deadline: '2026-06-03T10:00:00.000Z',
    });
    expect(mocks.sqs).not.toHaveReceivedCommand(SendMessageCommand);
    expect(lastAlert().attributes).toMatchObject({ outcome: 'failed', severity: 'critical' });
  });

  it('treats "already at the desired configuration" as compliant', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    mocks.eks.on(UpdateClusterConfigCommand).rejects(
      new InvalidParameterException({
        message: 'Cluster is already at the desired configuration with endpointPrivateAccess: true',
        $metadata: {},
      }),
    );

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result.outcome).toBe('compliant');
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });
});

describe('EKS rejections', () => {
  it('fails for good with EKS message and alerts, instead of retrying', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    mocks.eks.on(UpdateClusterConfigCommand).rejects(
      new InvalidParameterException({
        message: 'IPv6 CIDR blocks are not supported for IPv4 clusters',
        $metadata: {},
      }),
    );

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result.outcome).toBe('failed');
    expect(result.reason).toBe(
      'EKS rejected the update: "IPv6 CIDR blocks are not supported for IPv4 clusters"; nothing changed',
    );
    expect(result.cause).toEqual({
      kind: 'eks-rejected',
      message: 'IPv6 CIDR blocks are not supported for IPv4 clusters',
    });
    expect(lastAlert().attributes).toMatchObject({ outcome: 'failed', severity: 'critical' });
    expect(auditWrites()[0]).toMatchObject({ outcome: 'failed' });
    expect(queuedBodies()).toEqual([]);
  });

  it('sends CIDRs in canonical form however the policy spells them', async () => {
    // Prepare
    givenPolicy({
      version: 1,
      publicAccess: 'restricted',
      allowedPublicCidrs: ['10.0.0.0/08', '2001:0db8::/32'],
    });
    givenCluster({ name: 'analytics', cidrs: ['0.0.0.0/0', '::/0'] });

    // Act
    const result = await check(request('analytics'));

    // Assess
    expect(result.after?.publicAccessCidrs).toEqual(['10.0.0.0/8', '2001:db8::/32']);
    expect(mocks.eks).toHaveReceivedCommandWith(UpdateClusterConfigCommand, {
      resourcesVpcConfig: expect.objectContaining({ publicAccessCidrs: ['10.0.0.0/8', '2001:db8::/32'] }),
    });
  });
});

describe('following the update', () => {
  const follow = (status: string, errors: { errorCode: ErrorCode; errorMessage: string }[] = []) => {
    mocks.eks
      .on(DescribeUpdateCommand)
      .resolves({ update: { id: 'upd-0001', status: status as 'Failed', errors } });
    return request('prod-api', {
      deadline: '2026-06-03T12:00:00.000Z',
      followUpdate: {
        updateId: 'upd-0001',
        issuedAt: '2026-06-03T10:18:00.000Z',
        before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
        after: { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
      },
    });
  };

  it('records a successful update without a second alert', async () => {
    // Act
    const result = await check(follow('Successful'));

    // Assess
    expect(result).toMatchObject({ outcome: 'remediated', updateStatus: 'Successful', updateId: 'upd-0001' });
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
    expect(auditWrites()[0]).toMatchObject({ updateStatus: 'Successful' });
  });

  it('alerts with EKS error codes when the update failed', async () => {
    // Act
    const result = await check(
      follow('Failed', [{ errorCode: 'InsufficientFreeAddresses', errorMessage: 'subnet full' }]),
    );

    // Assess
    expect(result.outcome).toBe('failed');
    expect(result.updateErrors).toEqual([{ code: 'InsufficientFreeAddresses', message: 'subnet full' }]);
    expect(lastAlert().text).toContain('InsufficientFreeAddresses');
  });

  it('keeps following an update still in progress', async () => {
    // Act
    const result = await check(follow('InProgress'));

    // Assess
    expect(result.outcome).toBe('deferred');
    const queued = JSON.parse(
      mocks.sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody ?? '{}',
    );
    expect(queued.request.followUpdate.updateId).toBe('upd-0001');
    expect(mocks.eks).not.toHaveReceivedCommand(DescribeClusterCommand);
  });
});

describe('loop guard', () => {
  const byGuard = () =>
    request('prod-api', {
      trigger: { source: 'event', eventName: 'UpdateClusterConfig', eventId: 'evt-0009', byGuard: true },
    });

  it('ends the guard own event as ignored while its update runs', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', status: 'UPDATING' });

    // Act
    const result = await check(byGuard());

    // Assess
    expect(result.outcome).toBe('ignored');
    expect(mocks.sqs).not.toHaveReceivedAnyCommand();
    expect(mocks.sns).not.toHaveReceivedAnyCommand();
  });

  it('ends the guard own event as compliant once applied', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', publicAccess: false, privateAccess: true });

    // Act
    const result = await check(byGuard());

    // Assess
    expect(result.outcome).toBe('compliant');
  });

  it('never changes the cluster a second time for its own event', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });

    // Act
    const result = await check(byGuard());

    // Assess
    expect(result.outcome).toBe('ignored');
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
    expect(mocks.sns).not.toHaveReceivedAnyCommand();
  });
});

describe('flip-flop breaker', () => {
  const remediatedAt = (time: string, id: string): Partial<CheckResult> => ({
    cluster: 'prod-api',
    region: REGION,
    outcome: 'remediated',
    time,
    correlationId: id,
    attempt: 0,
    reason: 'x',
    trigger: { source: 'event', actorArn: 'arn:aws:iam::111122223333:role/deploy-pipeline' },
  });

  it('escalates once on the third remediation within the hour, naming the actor', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    givenHistory([remediatedAt('2026-06-03T10:05:00Z', 'e1'), remediatedAt('2026-06-03T09:40:00Z', 'e2')]);

    // Act
    const result = await check(
      request('prod-api', {
        trigger: { source: 'event', actorArn: 'arn:aws:iam::111122223333:role/deploy-pipeline' },
      }),
    );

    // Assess
    expect(result.outcome).toBe('remediated');
    expect(result.escalation).toEqual({
      actorArn: 'arn:aws:iam::111122223333:role/deploy-pipeline',
      remediations: 3,
      windowMinutes: 60,
    });
    expect(lastAlert().attributes.severity).toBe('critical');
  });

  it('does not count remediations older than the window', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    givenHistory([remediatedAt('2026-06-03T10:05:00Z', 'e1'), remediatedAt('2026-06-03T09:00:00Z', 'e2')]);

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result.escalation).toBeUndefined();
  });

  const PIPELINE = 'arn:aws:iam::111122223333:role/deploy-pipeline';
  const escalated = () => [
    {
      ...remediatedAt('2026-06-03T10:10:00Z', 'e3'),
      escalation: { actorArn: PIPELINE, remediations: 3, windowMinutes: 60 },
    },
    remediatedAt('2026-06-03T10:05:00Z', 'e1'),
    remediatedAt('2026-06-03T09:40:00Z', 'e2'),
  ];

  it('keeps enforcing but stays quiet for the escalated actor within the window', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    givenHistory(escalated());

    // Act
    const result = await check(request('prod-api', { trigger: { source: 'event', actorArn: PIPELINE } }));

    // Assess
    expect(result.outcome).toBe('remediated');
    expect(result.escalation).toMatchObject({ actorArn: PIPELINE, silenced: true });
    expect(mocks.eks).toHaveReceivedCommand(UpdateClusterConfigCommand);
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('still alerts a change by another actor after the escalation', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    givenHistory(escalated());

    // Act
    await check(request('prod-api'));

    // Assess
    expect(mocks.sns).toHaveReceivedCommand(PublishCommand);
  });

  it('escalates again once the escalation has left the window', async () => {
    // Prepare: silenced remediations since an escalation 70 minutes ago
    givenCluster({ name: 'prod-api' });
    const silenced = { actorArn: PIPELINE, remediations: 4, windowMinutes: 60, silenced: true };
    givenHistory([
      { ...remediatedAt('2026-06-03T10:15:00Z', 'e6'), escalation: silenced },
      { ...remediatedAt('2026-06-03T09:55:00Z', 'e5'), escalation: silenced },
      { ...remediatedAt('2026-06-03T09:35:00Z', 'e4'), escalation: silenced },
    ]);

    // Act
    const result = await check(request('prod-api', { trigger: { source: 'event', actorArn: PIPELINE } }));

    // Assess
    expect(result.escalation).toEqual({ actorArn: PIPELINE, remediations: 4, windowMinutes: 60 });
    expect(lastAlert().attributes.severity).toBe('critical');
  });
});

describe('delivery', () => {
  it('queues the alert when it cannot be published, and records that it did', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    mocks.sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('SNS down'), { name: 'InternalErrorException' }));

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result).toMatchObject({ outcome: 'remediated', alertQueued: true });
    expect(auditWrites()[0]).toMatchObject({ outcome: 'remediated', alertQueued: true });
    const bodies = queuedBodies();
    expect(bodies.map((b) => b.kind)).toEqual([
      'eks-endpoint-guard/alert',
      'eks-endpoint-guard/check-request',
    ]);
    expect(bodies[0].alert.subject).toBe(
      '[eks-endpoint-guard] prod-api: public endpoint turned off (was open to 0.0.0.0/0)',
    );
  });

  it('asks for a retry when the alert can be neither published nor queued, and records that', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    mocks.sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('SNS down'), { name: 'InternalErrorException' }));
    mocks.sqs
      .on(SendMessageCommand)
      .resolvesOnce({ MessageId: 'sqs-intent' })
      .rejects(Object.assign(new Error('SQS down'), { name: 'InternalError' }));

    // Act
    const outcome = check(request('prod-api'));

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(DeliveryError);
    expect(auditWrites()[0]).toMatchObject({ outcome: 'remediated', alertFailed: true });
  });

  it('still publishes the alert and queues the decision when the audit record cannot be written', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    mocks.dynamodb.on(QueryCommand).resolves({ Items: [] });
    mocks.dynamodb.on(PutCommand).rejects(new Error('table gone'));

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result).toMatchObject({ outcome: 'remediated', alertMessageId: 'msg-0001', deliveryQueued: true });
    expect(mocks.sns).toHaveReceivedCommand(PublishCommand);
    const bodies = queuedBodies();
    expect(bodies.map((b) => b.kind)).toEqual([
      'eks-endpoint-guard/check-request',
      'eks-endpoint-guard/decision',
    ]);
    expect(bodies[1].decision).toEqual({
      result: expect.objectContaining({
        outcome: 'remediated',
        alertMessageId: 'msg-0001',
        updateId: 'upd-0001',
      }),
      notify: false,
      record: true,
      followUp: false,
    });
  });
});

/** What was queued, leaving out the record of intent every remediation queues before its update. */
function queuedBodies() {
  return mocks.sqs
    .commandCalls(SendMessageCommand)
    .map((c) => JSON.parse(c.args[0].input.MessageBody ?? '{}'))
    .filter((body) => body.decision?.pending !== true);
}

describe('delivery after an update was issued', () => {
  it('queues the decision with its follow-up when the follow-up cannot be queued alone', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    mocks.sqs
      .on(SendMessageCommand)
      .resolvesOnce({ MessageId: 'sqs-intent' })
      .rejectsOnce(Object.assign(new Error('SQS hiccup'), { name: 'InternalError' }))
      .resolves({ MessageId: 'sqs-0002' });

    // Act
    const result = await check(request('prod-api'));

    // Assess
    expect(result).toMatchObject({ outcome: 'remediated', deliveryQueued: true });
    expect(auditWrites()).toHaveLength(1);
    expect(queuedBodies()[1].decision).toMatchObject({ notify: false, record: false, followUp: true });
  });

  it('fails with the decision it made when neither the record nor the queue can take it', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    mocks.dynamodb.on(PutCommand).rejects(new Error('table gone'));
    mocks.sqs
      .on(SendMessageCommand)
      .resolvesOnce({ MessageId: 'sqs-intent' })
      .rejects(Object.assign(new Error('SQS down'), { name: 'InternalError' }));

    // Act
    const outcome = check(request('prod-api'));

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'DeliveryError',
      changed: true,
      result: { outcome: 'remediated', updateId: 'upd-0001' },
    });
  });

  it('delivers a queued decision as made: record, alert and rebuilt follow-up, without reading the cluster', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    failRecordWrites(new Error('table gone'));
    mocks.sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('SNS down'), { name: 'InternalErrorException' }));
    // SQS takes only the decision message: the alert and the follow-up cannot be queued on their own.
    mocks.sqs.on(SendMessageCommand).callsFake((input: { MessageBody?: string }) => {
      // The record of intent and the decision message are both decisions.
      if (input.MessageBody?.includes('"kind":"eks-endpoint-guard/decision"'))
        return { MessageId: 'sqs-0003' };
      throw Object.assign(new Error('SQS down'), { name: 'InternalError' });
    });
    await check(request('prod-api'));
    const queued = queuedBodies().find((b) => b.kind === 'eks-endpoint-guard/decision');
    resetAws();
    const later = new Date('2026-06-03T10:25:00Z');

    // Act
    const result = await deliverQueuedDecision(queued.decision, testPorts(later), OPTIONS);

    // Assess
    expect(queued.decision).toMatchObject({ notify: true, record: true, followUp: true });
    expect(result).toMatchObject({ outcome: 'remediated', alertMessageId: 'msg-0001', deliveryQueued: true });
    expect(result.alertFailed).toBeUndefined();
    expect(mocks.eks).not.toHaveReceivedAnyCommand();
    expect(lastAlert().attributes.outcome).toBe('remediated');
    expect(auditWrites()).toEqual([
      expect.objectContaining({ outcome: 'remediated', time: '2026-06-03T10:20:00.000Z' }),
    ]);
    const followUp = queuedBodies()[0].request;
    expect(followUp).toMatchObject({
      cluster: 'prod-api',
      correlationId: 'evt-0001',
      attempt: 0,
      deadline: '2026-06-03T12:25:00.000Z',
      followUpdate: { updateId: 'upd-0001', issuedAt: '2026-06-03T10:20:00.000Z' },
    });
  });

  it('writes no second record when the first one was written', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    mocks.sqs
      .on(SendMessageCommand)
      .resolvesOnce({ MessageId: 'sqs-intent' })
      .rejectsOnce(Object.assign(new Error('SQS hiccup'), { name: 'InternalError' }))
      .resolves({ MessageId: 'sqs-0002' });
    await check(request('prod-api'));
    const queued = queuedBodies().find((b) => b.kind === 'eks-endpoint-guard/decision');
    resetAws();

    // Act
    await deliverQueuedDecision(queued.decision, testPorts(), OPTIONS);

    // Assess
    expect(mocks.dynamodb).not.toHaveReceivedCommand(PutCommand);
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
    expect(queuedBodies()[0].request.followUpdate).toMatchObject({ updateId: 'upd-0001' });
  });

  it('leaves a queued decision for another region alone', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    const decision = {
      result: { ...(await check(request('prod-api'), NOW, { ...OPTIONS, act: false })), region: 'eu-west-1' },
      notify: true,
      record: true,
      followUp: false,
    };
    resetAws();

    // Act
    const result = await deliverQueuedDecision(decision, testPorts(), OPTIONS);

    // Assess
    expect(result.outcome).toBe('ignored');
    expect(mocks.dynamodb).not.toHaveReceivedAnyCommand();
    expect(mocks.sns).not.toHaveReceivedAnyCommand();
  });
});
