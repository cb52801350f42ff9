import 'aws-sdk-client-mock-jest';
import {
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  EKSServiceException,
  ListClustersCommand,
  ThrottlingException,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { AdaptiveLimit } from '../../../functions/core/adaptive-limit';
import type { CheckResult } from '../../../functions/core/result';
import { normaliseEvent } from '../../../functions/core/triggers/normalise';
import {
  isThrottling,
  mapBounded,
  Retry,
  readAhead,
  SweepIncompleteError,
  type SweepOptions,
  sweep,
} from '../../../functions/guard/sweep';
import { guardOptions } from '../../../functions/wiring/ports';
import {
  ACCOUNT,
  clusterOf,
  GUARD_ROLE_ID,
  GUARD_SENDER,
  givenCluster,
  mocks,
  REGION,
  resetAws,
  testConfig,
  testPorts,
} from '../support/aws';

const throttled = () =>
  new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });

function names(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}

/** A report-only sweep over the mocked account; the policy is read afresh on every load. */
async function runSweep(options: Partial<SweepOptions> = {}): Promise<CheckResult[]> {
  const config = testConfig({ POLICY_CACHE_SECONDS: '0' });
  const results: CheckResult[] = [];
  for await (const result of sweep(testPorts(undefined, config), guardOptions(config, false), {
    region: 'us-east-1',
    sweepId: 'sweep-test',
    trigger: { source: 'sweep', eventTime: '2026-06-03T10:20:00Z' },
    concurrency: 8,
    throttleBackoffMs: 0,
    ...options,
  })) {
    results.push(result);
  }
  return results;
}

beforeEach(() => resetAws());

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
/** What was queued, as the function reads it back; not the record of intent every remediation queues first. */
function queuedItems() {
  const Records = mocks.sqs.commandCalls(SendMessageCommand).map((call, i) => ({
    eventSource: 'aws:sqs',
    messageId: `m-${i}`,
    body: call.args[0].input.MessageBody,
    receiptHandle: 'AQEBtest-handle',
    attributes: { SenderId: GUARD_SENDER },
  }));
  const items = normaliseEvent(
    { Records },
    { region: REGION, guardRoleId: GUARD_ROLE_ID, now: new Date() },
  ).items;
  return items.filter((item) => item.kind !== 'decision' || !item.decision.pending);
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

  it('changes nothing when the queue cannot take the record of intent', async () => {
    // Prepare
    mocks.sqs.on(SendMessageCommand).rejects(Object.assign(new Error('SQS down'), { name: 'InternalError' }));
    const results: CheckResult[] = [];

    // Act
    const run = async () => {
      for await (const r of sweep(testPorts(), GUARD, { ...SWEEP, clusters: ['prod-api'] })) results.push(r);
    };

    // Assess
    await expect(run()).rejects.toBeInstanceOf(SweepIncompleteError);
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
    expect(results).toEqual([
      expect.objectContaining({ outcome: 'failed', reason: expect.stringMatching(/SQS down/) }),
    ]);
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
    // Prepare: the queue takes the record of intent, then fails.
    mocks.sqs
      .on(SendMessageCommand)
      .resolvesOnce({ MessageId: 'sqs-intent' })
      .rejects(Object.assign(new Error('SQS down'), { name: 'InternalError' }));
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

  it('runs an item that asks for a retry again, backs the limit off, and yields it once', async () => {
    // Prepare
    const limit = new AdaptiveLimit({ initial: 4, max: 4 });
    const attempts = new Map<number, number>();
    const work = async (n: number) => {
      const attempt = (attempts.get(n) ?? 0) + 1;
      attempts.set(n, attempt);
      return n % 2 === 0 && attempt < 3 ? new Retry(n, true) : n;
    };

    // Act
    const results: number[] = [];
    for await (const r of mapBounded([1, 2, 3, 4, 5, 6], limit, work)) results.push(r);

    // Assess
    expect(results.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(attempts.get(2)).toBe(3);
    expect(limit.decreases).toBeGreaterThan(0);
    expect(limit.peakInFlight).toBeLessThanOrEqual(4);
  });
});

describe('readAhead', () => {
  it('reads ahead of its consumer, no further than its size', async () => {
    // Prepare
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 50; i++) {
        pulled += 1;
        yield i;
      }
    }

    // Act
    const reader = readAhead(source(), 10);
    const first = await reader.next();
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect(first).toEqual({ done: false, value: 0 });
    expect(pulled).toBeGreaterThan(1);
    expect(pulled).toBeLessThanOrEqual(12);
    await reader.return?.();
  });

  it('yields everything in order, then the failure of the source', async () => {
    // Prepare
    async function* source() {
      yield 1;
      yield 2;
      throw new Error('page 2 failed');
    }

    // Act
    const seen: number[] = [];
    const run = async () => {
      for await (const n of readAhead(source(), 5)) seen.push(n);
    };

    // Assess
    await expect(run()).rejects.toThrow('page 2 failed');
    expect(seen).toEqual([1, 2]);
  });
});

describe('isThrottling', () => {
  it.each<[string, unknown]>([
    ['ThrottlingException', throttled()],
    ['TooManyRequestsException', Object.assign(new Error('slow down'), { name: 'TooManyRequestsException' })],
    [
      'HTTP 429',
      new EKSServiceException({ name: 'Unknown', $fault: 'client', $metadata: { httpStatusCode: 429 } }),
    ],
    ['a wrapped throttle', new Error('call failed', { cause: throttled() })],
    // The storm (docs/STORM.md) throttles every service in its own shape: each one slows the sweep down.
    ...[
      'ProvisionedThroughputExceededException',
      'RequestThrottled',
      'ThrottledException',
      'Throttling',
      'SlowDown',
    ].map((name): [string, unknown] => [
      name,
      Object.assign(new Error('slow down'), { name, $metadata: { httpStatusCode: 400 } }),
    ]),
  ])('recognises %s', (_label, error) => {
    expect(isThrottling(error)).toBe(true);
  });

  it.each([
    ['ResourceNotFoundException', Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' })],
    [
      'HTTP 500',
      new EKSServiceException({
        name: 'ServerException',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
      }),
    ],
    ['not an error', 'ThrottlingException'],
  ])('does not take %s for a throttle', (_label, error) => {
    expect(isThrottling(error)).toBe(false);
  });
});

describe('sweep', () => {
  it('decides every cluster exactly once when some DescribeCluster calls are throttled', async () => {
    // Prepare: 12 clusters, every third throttled twice before it answers.
    const all = names('c', 12);
    mocks.eks.on(ListClustersCommand).resolves({ clusters: all });
    for (const [index, name] of all.entries()) {
      const cluster = clusterOf({ name, publicAccess: index % 2 === 0, privateAccess: true });
      if (index % 3 === 0) {
        mocks.eks
          .on(DescribeClusterCommand, { name })
          .rejectsOnce(throttled())
          .rejectsOnce(throttled())
          .resolves({ cluster });
      } else {
        mocks.eks.on(DescribeClusterCommand, { name }).resolves({ cluster });
      }
    }
    const limit = new AdaptiveLimit({ initial: 8, max: 8 });

    // Act
    const results = await runSweep({ limit });

    // Assess
    expect(results.map((r) => r.cluster).sort()).toEqual([...all].sort());
    expect(results.every((r) => r.outcome === 'compliant' || r.outcome === 'would-remediate')).toBe(true);
    expect(mocks.eks).toHaveReceivedCommandTimes(DescribeClusterCommand, 12 + 4 * 2);
    expect(limit.decreases).toBeGreaterThan(0);
    expect(limit.limit).toBeLessThan(8);
  });

  it('reports a cluster that stays throttled once, and still decides the others', async () => {
    // Prepare
    mocks.eks.on(ListClustersCommand).resolves({ clusters: ['stuck', 'fine-1', 'fine-2'] });
    mocks.eks.on(DescribeClusterCommand, { name: 'stuck' }).rejects(throttled());
    givenCluster({ name: 'fine-1', publicAccess: false, privateAccess: true });
    givenCluster({ name: 'fine-2', publicAccess: false, privateAccess: true });

    // Act
    const results = await runSweep();

    // Assess
    expect(results).toHaveLength(3);
    expect(results.find((r) => r.cluster === 'stuck')).toMatchObject({ outcome: 'failed' });
    expect(results.find((r) => r.cluster === 'stuck')?.reason).toMatch(
      /^could not check: ThrottlingException/,
    );
    expect(results.find((r) => r.cluster === 'stuck')?.cause).toEqual({
      kind: 'check-error',
      error: expect.stringMatching(/^ThrottlingException: /),
    });
    expect(results.filter((r) => r.cluster.startsWith('fine')).map((r) => r.outcome)).toEqual([
      'compliant',
      'compliant',
    ]);
    // Bounded: a few attempts, not one per remaining cluster or forever.
    expect(mocks.eks.commandCalls(DescribeClusterCommand, { name: 'stuck' }).length).toBe(4);
  });

  it('reads the policy once for the whole sweep, even with no policy cache', async () => {
    // Prepare
    const all = names('p', 6);
    mocks.eks.on(ListClustersCommand).resolves({ clusters: all });
    for (const name of all) givenCluster({ name, publicAccess: false, privateAccess: true });

    // Act
    const results = await runSweep();

    // Assess
    expect(results).toHaveLength(6);
    expect(mocks.ssm).toHaveReceivedCommandTimes(GetParameterCommand, 1);
  });

  it('asks for the next page of clusters while the current one is still being checked', async () => {
    // Prepare: pages of three names, one cluster at a time; the first check waits for page 2 to be asked for.
    const pages = [names('a', 3), names('b', 3)];
    let listCalls = 0;
    let secondPageAsked: () => void = () => undefined;
    const asked = new Promise<'asked'>((resolve) => {
      secondPageAsked = () => resolve('asked');
    });
    mocks.eks.on(ListClustersCommand).callsFake(() => {
      listCalls += 1;
      if (listCalls === 2) secondPageAsked();
      return listCalls === 1 ? { clusters: pages[0], nextToken: 'page-2' } : { clusters: pages[1] };
    });
    let firstCheckSaw: string | undefined;
    for (const name of [...(pages[0] ?? []), ...(pages[1] ?? [])]) {
      mocks.eks.on(DescribeClusterCommand, { name }).callsFake(async () => {
        if (name === 'a-0') {
          // Without read-ahead nothing asks for page 2 until this check ends: give up after a while.
          firstCheckSaw = await Promise.race([
            asked,
            new Promise<'not asked'>((resolve) => setTimeout(() => resolve('not asked'), 1000)),
          ]);
        }
        return { cluster: clusterOf({ name, publicAccess: false, privateAccess: true }) };
      });
    }

    // Act
    const results = await runSweep({ concurrency: 1 });

    // Assess
    expect(firstCheckSaw).toBe('asked');
    expect(results).toHaveLength(6);
    expect(mocks.eks).toHaveReceivedCommandTimes(ListClustersCommand, 2);
    expect(mocks.eks).toHaveReceivedCommandTimes(DescribeClusterCommand, 6);
  });
});
