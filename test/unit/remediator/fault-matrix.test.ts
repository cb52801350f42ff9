import 'aws-sdk-client-mock-jest';
import {
  DescribeDhcpOptionsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeUpdateCommand,
  ListClustersCommand,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { isOutcome } from '../../../functions/core/outcome';
import type { CheckResult } from '../../../functions/core/result';
import { DeliveryError } from '../../../functions/guard/delivery';
import { type HandlerResponse, processEvent } from '../../../functions/guard/process-event';
import { SweepIncompleteError } from '../../../functions/guard/sweep';
import {
  failRecordWrites,
  GUARD_SENDER,
  givenCluster,
  givenDhcpServers,
  lastAlert,
  loadEvent,
  mocks,
  processOptions,
  queuedBodies,
  resetAws,
  testPorts,
} from '../support/aws';

/**
 * Every AWS call of the decision path × every fault the SDK can still report after its own
 * retries (a rejected mock is "still failing after 5 attempts"), through both ways a request
 * arrives. Each request must end either recorded as a decision or handed back for a retry,
 * never dropped; and a decision that could not be completed must not change the cluster.
 */

// Between the sample CloudTrail event (10:17:03) and the recheck message's deadline (10:41:20).
const NOW = new Date('2025-06-03T10:20:00Z');
const CLUSTER = 'prod-api';

// ---- faults, as the SDK reports them once its retries are spent ----

type FaultName = 'throttling' | '5xx' | 'access denied' | 'timeout';
const FAULTS: FaultName[] = ['throttling', '5xx', 'access denied', 'timeout'];

interface ServiceErrorNames {
  /** The service's own throttling error name. */
  throttling: string;
  /** The service's own 5xx error name. */
  server: string;
}

function awsError(name: string, fault: 'client' | 'server', status: number, throttling = false): Error {
  return Object.assign(new Error(`${name} (simulated)`), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status, requestId: 'req-fault-0001', attempts: 5 },
    ...(throttling ? { $retryable: { throttling: true } } : {}),
  });
}

const EKS_NAMES: ServiceErrorNames = {
  throttling: 'ThrottlingException',
  server: 'ServiceUnavailableException',
};

function faultError(fault: FaultName, names: ServiceErrorNames): Error {
  switch (fault) {
    case 'throttling':
      return awsError(names.throttling, 'client', 400, true);
    case '5xx':
      return awsError(names.server, 'server', 500);
    case 'access denied':
      return awsError('AccessDeniedException', 'client', 403);
    case 'timeout':
      // What the SDK's HTTP handler raises when a socket or connection times out.
      return Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' });
  }
}

// ---- how each run ends ----

/** What became of the request: a decision on record, or handed back to its source for a retry. */
/** queued: the record could not be written, so the decision went to the recheck queue to be delivered from there. */
type Fate = 'recorded' | 'queued' | 'retried' | 'dropped';

interface Run {
  response?: HandlerResponse;
  error?: unknown;
}

/** Audit items DynamoDB accepted (a rejected Put never lands here). */
let accepted: Record<string, unknown>[] = [];

function fate(run: Run, messageId?: string): Fate {
  // EventBridge: the invocation fails, Lambda retries it twice, then the on-failure destination (DLQ) takes it.
  if (run.error !== undefined) return 'retried';
  // SQS: the record is left on the queue and redelivered after the visibility timeout.
  if (messageId && run.response?.batchItemFailures.some((f) => f.itemIdentifier === messageId)) {
    return 'retried';
  }
  if (accepted.some((item) => isOutcome(item.outcome))) return 'recorded';
  const bodies = mocks.sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input.MessageBody ?? '');
  return bodies.some((body) => body.includes('"kind":"eks-endpoint-guard/decision"')) ? 'queued' : 'dropped';
}

async function run(event: unknown): Promise<Run> {
  try {
    return { response: await processEvent(event, testPorts(NOW), processOptions()) };
  } catch (error) {
    return { error };
  }
}

// ---- the two ways in ----

type Path = 'sqs' | 'eventbridge';
const PATHS: Path[] = ['sqs', 'eventbridge'];
const PATH_LABELS: Record<Path, string> = { sqs: 'recheck SQS record', eventbridge: 'EventBridge event' };
const SQS_RECORD = loadEvent('recheck-message.json') as {
  Records: [{ messageId: string; body: string }];
};
const MESSAGE_ID = SQS_RECORD.Records[0].messageId;

/** The recheck message as it is, or with the request turned into a follow-up of the guard's update. */
function sqsEvent(followUpdate = false): unknown {
  const event = structuredClone(SQS_RECORD);
  if (followUpdate) {
    const message = JSON.parse(event.Records[0].body);
    message.request.followUpdate = {
      updateId: 'upd-0001',
      issuedAt: '2025-06-03T10:18:00.000Z',
      before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
      after: { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
    };
    event.Records[0].body = JSON.stringify(message);
  }
  return event;
}

function eventFor(path: Path, row: Row): unknown {
  return path === 'sqs' ? sqsEvent(row.entry === 'follow-up') : loadEvent('update-config-open-world.json');
}

// ---- the matrix ----

interface Expected {
  sqs: Fate;
  /** 'not reached': no CloudTrail event carries an update to follow, so this call is not on that path. */
  eventbridge: Fate | 'not reached';
  /** UpdateClusterConfig calls on a path that reaches the faulty call. */
  updateCalls: 0 | 1;
}

interface Row {
  call: string;
  /** How the request reaches the call: a non-compliant ACTIVE cluster (default), busy, or a follow-up. */
  entry?: 'follow-up' | 'busy';
  mockFault: (error: Error) => void;
  /** The command that fails, to check whether a path reaches it. */
  command: unknown;
  names: ServiceErrorNames;
  expected: Expected;
  /** Cells that differ from `expected`. */
  except?: Partial<Record<FaultName, Expected & { recordedAs?: { outcome: string; reason: RegExp } }>>;
  /** The call comes before anything is decided (the intent): its failure is not a DeliveryError. */
  beforeDecision?: boolean;
  /** Deliveries that must still happen when this call fails. */
  stillDelivered?: ('alert' | 'audit' | 'audit marked alertQueued' | 'alert queued' | 'decision queued')[];
}

const RETRIED_BEFORE_UPDATE: Expected = { sqs: 'retried', eventbridge: 'retried', updateCalls: 0 };
const RETRIED_AFTER_UPDATE: Expected = { sqs: 'retried', eventbridge: 'retried', updateCalls: 1 };
const RECORDED_AFTER_UPDATE: Expected = { sqs: 'recorded', eventbridge: 'recorded', updateCalls: 1 };

const MATRIX: Row[] = [
  {
    call: 'SSM GetParameter',
    command: GetParameterCommand,
    mockFault: (e) => mocks.ssm.on(GetParameterCommand).rejects(e),
    names: { throttling: 'ThrottlingException', server: 'InternalServerError' },
    expected: RETRIED_BEFORE_UPDATE,
    except: {
      // Permanent: retrying cannot fix it, so it is a decision: failed, alerted, nothing changed.
      'access denied': {
        sqs: 'recorded',
        eventbridge: 'recorded',
        updateCalls: 0,
        recordedAs: { outcome: 'failed', reason: /access to the parameter is denied; nothing changed$/ },
      },
    },
  },
  {
    call: 'EKS DescribeCluster',
    command: DescribeClusterCommand,
    mockFault: (e) => mocks.eks.on(DescribeClusterCommand).rejects(e),
    names: { throttling: 'ThrottlingException', server: 'ServiceUnavailableException' },
    expected: RETRIED_BEFORE_UPDATE,
  },
  {
    call: 'EC2 DescribeVpcAttribute (lockout check)',
    command: DescribeVpcAttributeCommand,
    mockFault: (e) => mocks.ec2.on(DescribeVpcAttributeCommand).rejects(e),
    names: { throttling: 'RequestLimitExceeded', server: 'InternalError' },
    expected: RETRIED_BEFORE_UPDATE,
  },
  {
    call: 'EC2 DescribeVpcs (lockout check: DHCP options)',
    command: DescribeVpcsCommand,
    mockFault: (e) => mocks.ec2.on(DescribeVpcsCommand).rejects(e),
    names: { throttling: 'RequestLimitExceeded', server: 'InternalError' },
    expected: RETRIED_BEFORE_UPDATE,
  },
  {
    call: 'EC2 DescribeDhcpOptions (lockout check)',
    command: DescribeDhcpOptionsCommand,
    mockFault: (e) => {
      givenDhcpServers(['AmazonProvidedDNS']);
      mocks.ec2.on(DescribeDhcpOptionsCommand).rejects(e);
    },
    names: { throttling: 'RequestLimitExceeded', server: 'InternalError' },
    expected: RETRIED_BEFORE_UPDATE,
  },
  {
    call: 'DynamoDB Query (history before remediation)',
    command: QueryCommand,
    mockFault: (e) => mocks.dynamodb.on(QueryCommand).rejects(e),
    names: { throttling: 'ProvisionedThroughputExceededException', server: 'InternalServerError' },
    expected: RETRIED_BEFORE_UPDATE,
  },
  {
    // The failed call itself is the one attempt; a retry sends the same clientRequestToken (see below).
    call: 'EKS UpdateClusterConfig',
    command: UpdateClusterConfigCommand,
    mockFault: (e) => mocks.eks.on(UpdateClusterConfigCommand).rejects(e),
    names: { throttling: 'ThrottlingException', server: 'ServerException' },
    expected: RETRIED_AFTER_UPDATE,
  },
  {
    call: 'EKS DescribeUpdate (follow-up)',
    entry: 'follow-up',
    command: DescribeUpdateCommand,
    mockFault: (e) => mocks.eks.on(DescribeUpdateCommand).rejects(e),
    names: { throttling: 'ThrottlingException', server: 'ServerException' },
    expected: { sqs: 'retried', eventbridge: 'not reached', updateCalls: 0 },
  },
  {
    call: 'SNS Publish (alert)',
    command: PublishCommand,
    mockFault: (e) => mocks.sns.on(PublishCommand).rejects(e),
    names: { throttling: 'ThrottledException', server: 'InternalErrorException' },
    // The decision stands; the alert goes through the recheck queue, which redelivers it.
    expected: RECORDED_AFTER_UPDATE,
    stillDelivered: ['audit marked alertQueued', 'alert queued'],
  },
  {
    call: 'DynamoDB Put (audit record)',
    command: PutCommand,
    mockFault: (e) => mocks.dynamodb.on(PutCommand).rejects(e),
    names: { throttling: 'ProvisionedThroughputExceededException', server: 'InternalServerError' },
    // The update was issued: the record goes through the queue as decided, never decided again.
    expected: { sqs: 'queued', eventbridge: 'queued', updateCalls: 1 },
    stillDelivered: ['alert', 'decision queued'],
  },
  {
    // No update without its record of intent (guard/intent.ts): nothing changes, the request is retried.
    call: 'SQS SendMessage (intent, before the update)',
    command: SendMessageCommand,
    mockFault: (e) => mocks.sqs.on(SendMessageCommand).rejects(e),
    names: { throttling: 'RequestThrottled', server: 'InternalError' },
    expected: RETRIED_BEFORE_UPDATE,
    beforeDecision: true,
  },
  {
    call: 'SQS SendMessage (update follow-up)',
    command: SendMessageCommand,
    mockFault: (e) => mocks.sqs.on(SendMessageCommand).resolvesOnce({ MessageId: 'sqs-intent' }).rejects(e),
    names: { throttling: 'RequestThrottled', server: 'InternalError' },
    expected: RETRIED_AFTER_UPDATE,
    stillDelivered: ['alert', 'audit'],
  },
  {
    // A busy cluster: the deferral itself changes nothing, but its re-check must not be lost.
    call: 'SQS SendMessage (deferral)',
    entry: 'busy',
    command: SendMessageCommand,
    mockFault: (e) => mocks.sqs.on(SendMessageCommand).rejects(e),
    names: { throttling: 'RequestThrottled', server: 'InternalError' },
    expected: RETRIED_BEFORE_UPDATE,
    stillDelivered: ['audit'],
  },
];

const DELIVERY_CALLS = new Set<unknown>([PublishCommand, PutCommand, SendMessageCommand]);

function commandSent(command: unknown): boolean {
  return Object.values(mocks).some((mock) => mock.commandCalls(command as typeof PublishCommand).length > 0);
}

interface Cell {
  row: Row;
  fault: FaultName;
  path: Path;
  expected: Expected & { recordedAs?: { outcome: string; reason: RegExp } };
  fate: Fate | 'not reached';
}

const CELLS: Cell[] = MATRIX.flatMap((row) =>
  FAULTS.flatMap((fault) =>
    PATHS.map((path) => {
      const expected = row.except?.[fault] ?? row.expected;
      return { row, fault, path, expected, fate: expected[path] };
    }),
  ),
);

beforeEach(() => {
  resetAws();
  accepted = [];
  mocks.dynamodb.on(PutCommand).callsFake((input) => {
    // Claims (aws/audit-claims.ts) are not records.
    if (input.Item?.kind !== 'claim') accepted.push(input.Item);
    return {};
  });
});

describe.each(MATRIX.map((row) => [row.call, row] as const))('%s fails', (_call, row) => {
  const cells = CELLS.filter((cell) => cell.row === row).map(
    (cell) => [cell.fault, PATH_LABELS[cell.path], cell.fate, cell] as const,
  );

  it.each(cells)('with %s, %s → %s', async (fault, _label, _fate, cell) => {
    const { path } = cell;
    // Prepare
    const { expected } = cell;
    givenCluster({
      name: CLUSTER,
      status: row.entry === 'busy' ? 'UPDATING' : 'ACTIVE',
      publicAccess: true,
      privateAccess: false,
      cidrs: ['0.0.0.0/0'],
      vpcId: 'vpc-0abc',
    });
    const error = faultError(fault, row.names);
    row.mockFault(error);

    // Act
    const outcome = await run(eventFor(path, row));

    // Assess
    if (path === 'sqs') expect(outcome.error).toBeUndefined(); // one bad record never fails the batch
    if (cell.fate === 'not reached') {
      expect(commandSent(row.command)).toBe(false);
      expect(fate(outcome)).toBe('recorded');
      return;
    }
    expect(commandSent(row.command)).toBe(true);
    expect(fate(outcome, path === 'sqs' ? MESSAGE_ID : undefined)).toBe(cell.fate);
    expect(mocks.eks.commandCalls(UpdateClusterConfigCommand)).toHaveLength(expected.updateCalls);

    if (cell.fate === 'retried' && path === 'sqs') {
      // Put off, not lost: reported (not recorded) with the fault that made it so.
      expect(outcome.response?.results).toEqual([
        expect.objectContaining({
          cluster: CLUSTER,
          outcome: 'deferred',
          reason: expect.stringMatching(/retried/),
        }),
      ]);
    }
    if (
      cell.fate === 'retried' &&
      path === 'eventbridge' &&
      DELIVERY_CALLS.has(row.command) &&
      !row.beforeDecision
    ) {
      expect(outcome.error).toBeInstanceOf(DeliveryError);
    }
    if (expected.recordedAs) {
      expect(accepted).toEqual([expect.objectContaining({ outcome: expected.recordedAs.outcome })]);
      expect(accepted[0]?.reason).toMatch(expected.recordedAs.reason);
      expect(lastAlert().attributes.outcome).toBe(expected.recordedAs.outcome);
    }
    for (const delivery of row.stillDelivered ?? []) {
      if (delivery === 'alert') expect(lastAlert().attributes.cluster).toBe(CLUSTER);
      if (delivery === 'audit') expect(accepted).toHaveLength(1);
      if (delivery === 'audit marked alertQueued') {
        expect(accepted).toEqual([expect.objectContaining({ outcome: 'remediated', alertQueued: true })]);
      }
      if (delivery === 'decision queued') {
        const bodies = mocks.sqs
          .commandCalls(SendMessageCommand)
          .map((c) => JSON.parse(c.args[0].input.MessageBody ?? '{}'));
        expect(bodies).toContainEqual(
          expect.objectContaining({
            kind: 'eks-endpoint-guard/decision',
            decision: expect.objectContaining({
              record: true,
              result: expect.objectContaining({ outcome: 'remediated' }),
            }),
          }),
        );
      }
      if (delivery === 'alert queued') {
        const bodies = mocks.sqs
          .commandCalls(SendMessageCommand)
          .map((c) => JSON.parse(c.args[0].input.MessageBody ?? '{}'));
        expect(bodies).toContainEqual(
          expect.objectContaining({
            kind: 'eks-endpoint-guard/alert',
            alert: expect.objectContaining({
              attributes: expect.objectContaining({ outcome: 'remediated' }),
            }),
          }),
        );
      }
    }
  });
});

describe('a retry after an ambiguous UpdateClusterConfig fault', () => {
  it.each(PATHS)('%s: asks EKS for the same update with the same clientRequestToken', async (path) => {
    // Prepare
    givenCluster({ name: CLUSTER, publicAccess: true, privateAccess: false, vpcId: 'vpc-0abc' });
    mocks.eks
      .on(UpdateClusterConfigCommand)
      .rejectsOnce(faultError('timeout', EKS_NAMES))
      .resolves({
        update: { id: 'upd-0001', status: 'InProgress', type: 'EndpointAccessUpdate' },
      });
    const event = path === 'sqs' ? sqsEvent() : loadEvent('update-config-open-world.json');

    // Act
    const first = await run(event);
    const retry = await run(event);

    // Assess
    expect(fate(first, path === 'sqs' ? MESSAGE_ID : undefined)).toBe('retried');
    expect(retry.response?.results[0]?.outcome).toBe('remediated');
    const tokens = mocks.eks
      .commandCalls(UpdateClusterConfigCommand)
      .map((call) => call.args[0].input.clientRequestToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).toBe(tokens[0]);
  });
});

describe.each(FAULTS)('sweep, DescribeCluster for one of two clusters fails with %s', (fault) => {
  const sweepEvent = loadEvent('scheduled-sweep.json');

  beforeEach(() => {
    mocks.eks.on(ListClustersCommand).resolves({ clusters: [CLUSTER, 'payments'] });
    givenCluster({ name: 'payments', publicAccess: false, privateAccess: true });
    mocks.eks.on(DescribeClusterCommand, { name: CLUSTER }).rejects(faultError(fault, EKS_NAMES));
  });

  async function sweepRun(): Promise<Run & { observed: CheckResult[] }> {
    const observed: CheckResult[] = [];
    const options = { ...processOptions(), observe: (r: CheckResult) => observed.push(r) };
    try {
      return { observed, response: await processEvent(sweepEvent, testPorts(NOW), options) };
    } catch (error) {
      return { observed, error };
    }
  }

  it('queues a re-check for that cluster and completes the other', async () => {
    // Act
    const { response, error } = await sweepRun();

    // Assess
    expect(error).toBeUndefined();
    const byCluster = Object.fromEntries((response?.results ?? []).map((r) => [r.cluster, r]));
    expect(byCluster[CLUSTER]).toMatchObject({
      outcome: 'deferred',
      reason: expect.stringMatching(/re-check queued$/),
    });
    expect(byCluster.payments?.outcome).toBe('compliant');
    expect(mocks.sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    const sent = mocks.sqs.commandCalls(SendMessageCommand)[0]?.args[0].input;
    expect(JSON.parse(sent?.MessageBody ?? '{}').request).toMatchObject({
      cluster: CLUSTER,
      trigger: { source: 'sweep' },
    });
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
  });

  it('rejects with SweepIncompleteError after yielding the others when the re-check cannot be queued', async () => {
    // Prepare
    mocks.sqs.on(SendMessageCommand).rejects(faultError('5xx', { throttling: '', server: 'InternalError' }));

    // Act
    const { error, observed } = await sweepRun();

    // Assess
    expect(error).toBeInstanceOf(SweepIncompleteError);
    const byCluster = Object.fromEntries(observed.map((r) => [r.cluster, r]));
    expect(byCluster.payments?.outcome).toBe('compliant');
    expect(byCluster[CLUSTER]).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/^could not check: /),
    });
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
  });
});

describe('faults the guard should turn into decisions', () => {
  // A cluster deleted while its update was followed: nothing is left to follow (DESIGN §2 step 2).
  it('ends a follow-up of a cluster deleted meanwhile as ignored, not retried', async () => {
    // Prepare
    mocks.eks.on(DescribeUpdateCommand).rejects(awsError('ResourceNotFoundException', 'client', 404));
    mocks.eks.on(DescribeClusterCommand).rejects(awsError('ResourceNotFoundException', 'client', 404));

    // Act
    const outcome = await run(sqsEvent(true));

    // Assess
    expect(fate(outcome, MESSAGE_ID)).toBe('recorded');
    expect(accepted).toEqual([expect.objectContaining({ outcome: 'ignored' })]);
  });

  // When SNS Publish fails after UpdateClusterConfig was accepted, retrying the request would decide
  // afresh on the changed cluster and never re-send the alert: the alert itself is queued instead.
  it.each(PATHS)('%s: still gets the remediation alert out after the first publish failed', async (path) => {
    // Prepare
    givenCluster({ name: CLUSTER, publicAccess: true, privateAccess: false, vpcId: 'vpc-0abc' });
    mocks.sns
      .on(PublishCommand)
      .rejectsOnce(faultError('5xx', { throttling: '', server: 'InternalErrorException' }))
      .resolves({ MessageId: 'msg-0002' });
    const event = path === 'sqs' ? sqsEvent() : loadEvent('update-config-open-world.json');
    const first = await run(event);
    const queuedAlert = mocks.sqs
      .commandCalls(SendMessageCommand)
      .map((call) => call.args[0].input.MessageBody ?? '')
      .find((body) => body.includes('"kind":"eks-endpoint-guard/alert"'));

    // Act
    const redelivery = await run({
      Records: [
        {
          messageId: 'm-alert',
          eventSource: 'aws:sqs',
          body: queuedAlert,
          receiptHandle: 'AQEBtest-handle',
          attributes: { SenderId: GUARD_SENDER },
        },
      ],
    });

    // Assess
    expect(fate(first, path === 'sqs' ? MESSAGE_ID : undefined)).toBe('recorded');
    expect(redelivery.response?.batchItemFailures).toEqual([]);
    const published = mocks.sns
      .commandCalls(PublishCommand)
      .slice(1)
      .map((call) => call.args[0].input.MessageAttributes?.outcome?.StringValue);
    expect(published).toEqual(['remediated']);
  });

  // When the audit write fails after UpdateClusterConfig was accepted, a retry would decide again,
  // find the cluster changed and lose the decision: the decision itself is delivered from the queue.
  it.each(PATHS)(
    '%s: delivers the remediated record from the queue, as decided, after the audit write failed',
    async (path) => {
      // Prepare
      givenCluster({ name: CLUSTER, publicAccess: true, privateAccess: false, vpcId: 'vpc-0abc' });
      failRecordWrites(faultError('5xx', { throttling: '', server: 'InternalServerError' }), 1, accepted);
      const event = path === 'sqs' ? sqsEvent() : loadEvent('update-config-open-world.json');
      const first = await run(event);
      const bodies = queuedBodies().map((body) => JSON.stringify(body));
      const queued = bodies.find((body) => body.includes('"kind":"eks-endpoint-guard/decision"'));
      givenCluster({
        name: CLUSTER,
        status: 'UPDATING',
        publicAccess: false,
        privateAccess: true,
        vpcId: 'vpc-0abc',
      });
      mocks.eks.resetHistory();
      mocks.sns.resetHistory();
      mocks.sqs.resetHistory();

      // Act
      const redelivery = await run({
        Records: [
          {
            messageId: 'm-decision',
            eventSource: 'aws:sqs',
            body: queued,
            receiptHandle: 'AQEBtest-handle',
            attributes: { SenderId: GUARD_SENDER },
          },
        ],
      });

      // Assess
      expect(fate(first, path === 'sqs' ? MESSAGE_ID : undefined)).toBe('recorded');
      expect(first.response?.results).toEqual([
        expect.objectContaining({ outcome: 'remediated', deliveryQueued: true }),
      ]);
      expect(redelivery.response?.batchItemFailures).toEqual([]);
      expect(redelivery.response?.results).toEqual([expect.objectContaining({ outcome: 'remediated' })]);
      expect(accepted).toEqual([
        expect.objectContaining({
          outcome: 'remediated',
          updateId: 'upd-0001',
          alertMessageId: 'msg-0001',
          deliveryQueued: true,
          violations: expect.arrayContaining([expect.objectContaining({ rule: 'public-disabled' })]),
          policy: expect.objectContaining({ digest: expect.stringMatching(/^sha256:/) }),
        }),
      ]);
      expect(mocks.eks).not.toHaveReceivedAnyCommand();
      expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
      // The follow-up went out on the first try: the decision message does not send it twice.
      expect(bodies.filter((body) => body.includes('"followUpdate"'))).toHaveLength(1);
      expect(mocks.sqs).not.toHaveReceivedCommand(SendMessageCommand);
    },
  );

  it.each(PATHS)(
    '%s: retries the whole request when the alert can be neither published nor queued',
    async (path) => {
      // Prepare
      givenCluster({ name: CLUSTER, publicAccess: true, privateAccess: false, vpcId: 'vpc-0abc' });
      mocks.sns
        .on(PublishCommand)
        .rejects(faultError('5xx', { throttling: '', server: 'InternalErrorException' }));
      // The record of intent goes out before the update; nothing after it can be queued.
      mocks.sqs
        .on(SendMessageCommand)
        .resolvesOnce({ MessageId: 'sqs-intent' })
        .rejects(faultError('5xx', { throttling: '', server: 'InternalError' }));

      // Act
      const outcome = await run(path === 'sqs' ? sqsEvent() : loadEvent('update-config-open-world.json'));

      // Assess
      expect(fate(outcome, path === 'sqs' ? MESSAGE_ID : undefined)).toBe('retried');
      expect(accepted).toEqual([expect.objectContaining({ outcome: 'remediated', alertFailed: true })]);
    },
  );

  it('leaves a queued alert on the queue while SNS still fails', async () => {
    // Prepare
    mocks.sns
      .on(PublishCommand)
      .rejects(faultError('5xx', { throttling: '', server: 'InternalErrorException' }));
    const body = JSON.stringify({
      kind: 'eks-endpoint-guard/alert',
      version: 1,
      correlationId: 'evt-1',
      alert: {
        subject: 's',
        text: 't',
        json: { schema: 'eks-endpoint-guard/alert@1' },
        attributes: { outcome: 'remediated', cluster: CLUSTER, severity: 'warning' },
      },
    });

    // Act
    const outcome = await run({
      Records: [
        {
          messageId: 'm-alert',
          eventSource: 'aws:sqs',
          body,
          receiptHandle: 'AQEBtest-handle',
          attributes: { SenderId: GUARD_SENDER },
        },
      ],
    });

    // Assess
    expect(outcome.response?.batchItemFailures).toEqual([{ itemIdentifier: 'm-alert' }]);
    expect(outcome.response?.results).toEqual([]);
  });
});
