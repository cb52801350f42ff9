import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { CheckResult } from '../../../functions/core/result';
import { processEvent } from '../../../functions/guard/process-event';
import { observer } from '../../../functions/wiring/observe';
import {
  failRecordWrites,
  GUARD_SENDER,
  givenCluster,
  loadEvent,
  mocks,
  processOptions,
  resetAws,
  testPorts,
} from '../support/aws';

function result(overrides: Partial<CheckResult>): CheckResult {
  return {
    cluster: 'prod-api',
    region: 'us-east-1',
    outcome: 'compliant',
    reason: 'ok',
    time: '2026-06-03T10:20:00.000Z',
    correlationId: 'evt-0001',
    attempt: 0,
    trigger: { source: 'event', eventTime: '2026-06-03T10:17:00.000Z' },
    ...overrides,
  };
}

/** Everything Powertools prints (logs and EMF, on stdout and stderr), parsed. */
function captureOutput(act: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(capture),
    jest.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  try {
    act();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

/** captureOutput for an asynchronous act: output is captured until it settles. */
async function captureOutputOf(act: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(capture),
    jest.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  try {
    await act();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

function setup() {
  const logger = new Logger({ serviceName: 'eks-endpoint-guard', logLevel: 'INFO' });
  const metrics = new Metrics({ namespace: 'EksEndpointGuard', serviceName: 'eks-endpoint-guard' });
  return { metrics, ...observer(logger, metrics) };
}

describe('observe', () => {
  it('emits one Decisions count with the outcome dimension and never the cluster', () => {
    // Prepare
    const { observe } = setup();

    // Act
    const output = captureOutput(() => observe(result({ outcome: 'failed' })));

    // Assess
    const emf = output.find((o) => '_aws' in o) as Record<string, unknown>;
    expect(emf).toMatchObject({ outcome: 'failed', service: 'eks-endpoint-guard', Decisions: 1 });
    const dimensions = JSON.stringify((emf._aws as { CloudWatchMetrics: unknown }).CloudWatchMetrics);
    expect(dimensions).not.toContain('cluster');
  });

  it('logs the decision as structured JSON with the outcome words and correlation id', () => {
    // Prepare
    const { observe } = setup();

    // Act
    const output = captureOutput(() => observe(result({ outcome: 'blocked', reason: 'DNS off' })));

    // Assess
    const log = output.find((o) => o.message === 'prod-api: blocked');
    expect(log).toMatchObject({
      level: 'WARN',
      outcome: 'blocked',
      reason: 'DNS off',
      correlationId: 'evt-0001',
    });
  });

  it('measures remediation latency from the event time', () => {
    // Prepare
    const { observe, metrics } = setup();

    // Act
    captureOutput(() => observe(result({ outcome: 'remediated', updateStatus: 'InProgress' })));

    // Assess
    expect(JSON.stringify(metrics.serializeMetrics())).toContain('"RemediationLatency":180000');
  });

  it('measures time to compliance when the followed update succeeded', () => {
    // Prepare
    const { observe, metrics } = setup();

    // Act
    captureOutput(() => observe(result({ outcome: 'remediated', updateStatus: 'Successful' })));

    // Assess
    expect(JSON.stringify(metrics.serializeMetrics())).toContain('"TimeToCompliance":180000');
  });

  it('measures time to compliance of a followed update from the event, when the event was timely at issue', () => {
    // Prepare: the event at 10:17, the update issued at 10:50 (33 minutes later), Successful at 11:40
    const { observe, metrics } = setup();
    const followed = result({
      outcome: 'remediated',
      updateStatus: 'Successful',
      updateIssuedAt: '2026-06-03T10:50:00.000Z',
      time: '2026-06-03T11:40:00.000Z',
    });

    // Act
    captureOutput(() => observe(followed));

    // Assess: 83 minutes, although the follow-up came more than an hour after the event
    expect(JSON.stringify(metrics.serializeMetrics())).toContain('"TimeToCompliance":4980000');
  });

  it.each([
    ['a replayed event from a year before', '2025-06-03T10:17:00.000Z'],
    ['an event 61 minutes old', '2026-06-03T09:19:00.000Z'],
    ['an event that claims to come from tomorrow', '2026-06-04T10:17:00.000Z'],
  ])('counts %s as late, not as remediation latency', (_name, eventTime) => {
    // Prepare
    const { observe, metrics } = setup();
    const replayed = result({
      outcome: 'remediated',
      updateStatus: 'InProgress',
      trigger: { source: 'event', eventTime },
    });

    // Act
    captureOutput(() => observe(replayed));

    // Assess
    const emitted = JSON.stringify(metrics.serializeMetrics());
    expect(emitted).toContain('"LateEvents":1');
    expect(emitted).not.toContain('RemediationLatency');
  });

  it('counts a late event once: its followed update gives neither time to compliance nor a second late count', () => {
    // Prepare
    const { observe, metrics } = setup();
    const followed = result({
      outcome: 'remediated',
      updateStatus: 'Successful',
      updateIssuedAt: '2026-06-03T10:20:00.000Z',
      trigger: { source: 'event', eventTime: '2025-06-03T10:17:00.000Z' },
    });

    // Act
    captureOutput(() => observe(followed));

    // Assess
    const emitted = JSON.stringify(metrics.serializeMetrics());
    expect(emitted).not.toContain('TimeToCompliance');
    expect(emitted).not.toContain('LateEvents');
  });

  it('counts deferrals and the attempt reached', () => {
    // Prepare
    const { observe, metrics } = setup();

    // Act
    captureOutput(() => observe(result({ outcome: 'deferred', attempt: 2 })));

    // Assess
    const serialized = JSON.stringify(metrics.serializeMetrics());
    expect(serialized).toContain('"Deferrals":1');
    expect(serialized).toContain('"DeferralAttempt":3');
  });

  it('counts the audit-log bytes a look-up scanned once, not again for an answer it reuses, and logs whom a change cuts off', () => {
    // Prepare
    const { observe, metrics } = setup();
    const window = { since: '2026-06-02T10:20:00.000Z', until: '2026-06-03T10:20:00.000Z' };
    const client = { ip: '198.51.100.23', users: [], userAgents: [], requests: 3, lastSeen: window.until };

    // Act
    const output = captureOutput(() => {
      observe(
        result({
          outcome: 'remediated',
          clientsCutOff: { clients: [client], more: 2, bytesScanned: 5_000, ...window },
        }),
      );
      observe(
        result({
          outcome: 'remediated',
          clientsCutOff: { clients: [], bytesScanned: 5_000, reused: true, ...window },
        }),
      );
      observe(
        result({
          outcome: 'remediated',
          clientsCutOff: { clients: 'unknown', cause: 'logging-off', ...window },
        }),
      );
    });

    // Assess
    const serialized = JSON.stringify(metrics.serializeMetrics());
    expect(serialized).toContain('"AuditLogBytesScanned":5000');
    expect(serialized).not.toContain('"AuditLogBytesScanned":[');
    expect(output.map((line) => line.clientsCutOff).filter((v) => v !== undefined)).toEqual([
      3,
      0,
      'unknown (logging-off)',
    ]);
  });

  it('logs and counts a delivery failure', () => {
    // Prepare
    const { telemetry, metrics } = setup();

    // Act
    const output = captureOutput(() =>
      telemetry.deliveryFailed('alert', result({ outcome: 'remediated' }), new Error('SNS down')),
    );

    // Assess
    expect(JSON.stringify(metrics.serializeMetrics())).toContain('"AlertFailures":1');
    expect(JSON.stringify(output)).toContain('could not deliver the alert');
  });

  it('counts a decision once when its delivery is finished from the queue, and logs both', async () => {
    // Prepare: the audit write fails once, so the remediation's delivery goes to the queue.
    resetAws();
    givenCluster({ name: 'prod-api' });
    failRecordWrites(new Error('table unavailable'));
    const { observe, telemetry } = setup();
    const options = { ...processOptions(), observe, telemetry };
    const first = await captureOutputOf(() =>
      processEvent(loadEvent('update-config-open-world.json'), testPorts(), options),
    );
    const body = mocks.sqs
      .commandCalls(SendMessageCommand)
      .map((call) => call.args[0].input.MessageBody ?? '')
      .find((b) => b.includes('"kind":"eks-endpoint-guard/decision"') && !b.includes('"pending":true'));
    const queued = {
      Records: [
        {
          messageId: 'm-1',
          eventSource: 'aws:sqs',
          body,
          receiptHandle: 'AQEBtest-handle',
          attributes: { SenderId: GUARD_SENDER },
        },
      ],
    };

    // Act
    const second = await captureOutputOf(() => processEvent(queued, testPorts(), options));

    // Assess
    const counted = [...first, ...second].filter((o) => 'Decisions' in o);
    expect(counted).toEqual([expect.objectContaining({ outcome: 'remediated', Decisions: 1 })]);
    const logged = [...first, ...second].filter((o) => o.message === 'prod-api: remediated');
    expect(logged).toHaveLength(2);
    expect(logged[1]).toMatchObject({ finishedFromQueue: true });
  });
});

describe('events for the central bus', () => {
  it('logs an event neither the bus nor the queue took, and a queued one that failed again, as errors', () => {
    // Prepare
    const { telemetry } = setup();
    // Act
    const lines = captureOutput(() => {
      telemetry.decisionEventLost?.('EKS Endpoint Guard Decision', new Error('queue down'));
      telemetry.decisionEventRetry?.('msg-1', new Error('bus down'));
    });
    // Assess
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: 'could not send or queue an event for the central bus: lost',
        detailType: 'EKS Endpoint Guard Decision',
      }),
      expect.objectContaining({
        level: 'ERROR',
        message: 'could not send a queued event to the central bus; the queue redelivers it',
        correlationId: 'msg-1',
      }),
    ]);
  });
});
