import 'aws-sdk-client-mock-jest';
import {
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckResult } from '../../functions/core/result';
import { normaliseEvent } from '../../functions/core/triggers';
import { mapBounded, SweepIncompleteError, sweep } from '../../functions/sweep';
import {
  ACCOUNT,
  GUARD_ROLE_ID,
  GUARD_SENDER,
  givenCluster,
  mocks,
  REGION,
  resetAws,
  testPorts,
} from './support/aws';

const GUARD = {
  region: REGION,
  act: true,
  recheckDeadlineMinutes: 120,
  flipFlop: { threshold: 3, windowMinutes: 60 },
};
const SWEEP = {
  region: REGION,
  account: ACCOUNT,
  sweepId: 'sweep-3f8a2b1c-4d5e-6f70-8192-a3b4c5d6e7f8',
  trigger: { source: 'sweep' as const },
  concurrency: 2,
};

/** Every message the sweep queued, read back the way the function reads the recheck queue. */
function queuedItems() {
  const Records = mocks.sqs.commandCalls(SendMessageCommand).map((call, i) => ({
    eventSource: 'aws:sqs',
    messageId: `m-${i}`,
    body: call.args[0].input.MessageBody,
    attributes: { SenderId: GUARD_SENDER },
  }));
  return normaliseEvent({ Records }, { region: REGION, guardRoleId: GUARD_ROLE_ID, now: new Date() }).items;
}

describe('sweep of several clusters in one VPC', () => {
  beforeEach(() => resetAws());

  it('looks the VPC up once, while the checks run at the same time, and only for clusters that would go private', async () => {
    // Prepare: slow EC2 answers, so that the checks overlap
    const names = ['edge-a', 'edge-b', 'edge-c'];
    for (const name of names) givenCluster({ name });
    givenCluster({ name: 'private-d', publicAccess: false, privateAccess: true });
    const slowly = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 20));
    mocks.ec2
      .on(DescribeVpcAttributeCommand, { Attribute: 'enableDnsSupport' })
      .callsFake(() => slowly({ EnableDnsSupport: { Value: true } }));
    mocks.ec2
      .on(DescribeVpcAttributeCommand, { Attribute: 'enableDnsHostnames' })
      .callsFake(() => slowly({ EnableDnsHostnames: { Value: true } }));
    mocks.ec2
      .on(DescribeSubnetsCommand)
      .callsFake(() => slowly({ Subnets: [{ SubnetId: 'subnet-0a1', VpcId: 'vpc-0abc' }] }));

    // Act
    const results: CheckResult[] = [];
    const clusters = [...names, 'private-d'];
    for await (const r of sweep(testPorts(), GUARD, { ...SWEEP, concurrency: 4, clusters })) results.push(r);

    // Assess
    expect(results.map((r) => r.outcome).sort()).toEqual([
      'compliant',
      'remediated',
      'remediated',
      'remediated',
    ]);
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeSubnetsCommand, 1);
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeVpcAttributeCommand, 2);
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeVpcsCommand, 1);
  });
});

describe('sweep of a cluster it changed when the record cannot be written', () => {
  beforeEach(() => {
    resetAws();
    givenCluster({ name: 'prod-api' });
    mocks.dynamodb.on(PutCommand).rejects(new Error('table gone'));
  });

  it('reports remediated, with the decision queued, rather than deferred', async () => {
    // Act
    const results: CheckResult[] = [];
    for await (const r of sweep(testPorts(), GUARD, { ...SWEEP, clusters: ['prod-api'] })) results.push(r);

    // Assess
    expect(results).toEqual([expect.objectContaining({ outcome: 'remediated', deliveryQueued: true })]);
    expect(queuedItems().map((item) => item.kind)).toEqual(['check', 'decision']);
  });

  it('reports remediated and fails the sweep when the queue cannot take the decision either', async () => {
    // Prepare
    mocks.sqs.on(SendMessageCommand).rejects(Object.assign(new Error('SQS down'), { name: 'InternalError' }));
    const results: CheckResult[] = [];

    // Act
    const run = async () => {
      for await (const r of sweep(testPorts(), GUARD, { ...SWEEP, clusters: ['prod-api'] })) results.push(r);
    };

    // Assess
    await expect(run()).rejects.toBeInstanceOf(SweepIncompleteError);
    expect(results).toEqual([
      expect.objectContaining({
        outcome: 'remediated',
        updateId: 'upd-0001',
        reason: expect.stringMatching(/could not deliver the audit record and re-check$/),
      }),
    ]);
  });
});

describe('sweep of a cluster with the longest legal name', () => {
  const name = `p${'-long-name'.repeat(9)}-12345678`;

  beforeEach(() => resetAws());

  it('queues an update follow-up the recheck queue can read back', async () => {
    // Prepare
    givenCluster({ name });

    // Act
    const results = [];
    for await (const r of sweep(testPorts(), GUARD, { ...SWEEP, clusters: [name] })) results.push(r);

    // Assess
    expect(name).toHaveLength(100);
    expect(results.map((r) => r.outcome)).toEqual(['remediated']);
    expect(queuedItems()).toEqual([expect.objectContaining({ kind: 'check' })]);
  });

  it('queues a re-check the recheck queue can read back when the check fails', async () => {
    // Prepare: no DescribeCluster answer configured, so the call fails
    mocks.eks.onAnyCommand().rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    // Act
    const results = [];
    for await (const r of sweep(testPorts(), GUARD, { ...SWEEP, clusters: [name] })) results.push(r);

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(['deferred']);
    const [item] = queuedItems();
    expect(item).toMatchObject({ kind: 'check', request: { cluster: name } });
  });
});

describe('mapBounded', () => {
  it('never has more than the limit in flight and yields every result', async () => {
    // Prepare
    let inFlight = 0;
    let peak = 0;
    const work = async (n: number) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, (n % 3) * 2));
      inFlight -= 1;
      return n * 10;
    };

    // Act
    const results: number[] = [];
    for await (const r of mapBounded([1, 2, 3, 4, 5, 6, 7, 8, 9], 3, work)) results.push(r);

    // Assess
    expect(peak).toBe(3);
    expect(results.sort((a, b) => a - b)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it('pulls from an async source lazily', async () => {
    // Prepare
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 100; i++) {
        pulled += 1;
        yield i;
      }
    }

    // Act
    const iterator = mapBounded(source(), 2, async (n) => n);
    await iterator.next();

    // Assess
    expect(pulled).toBeLessThanOrEqual(3);
    await iterator.return(undefined);
  });
});
