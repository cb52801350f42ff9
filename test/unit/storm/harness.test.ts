import { failedEventId } from '../../../storm/collect';
import { failureRecord, throughProxy, workerEnv } from '../../../storm/lambda-env';
import { PRESETS } from '../../../storm/options';
import { stormPlan } from '../../../storm/plan';
import { compressDelay } from '../../../storm/proxy';
import { Random } from '../../../storm/random';
import { lastLine } from '../../../storm/report';
import { workerAccessKey } from '../../../storm/request';

const PLAN = stormPlan({ quick: true, ...PRESETS.quick, seed: 1, writeDocs: false }, 300, new Random(1));

describe("the storm's time factor", () => {
  it('divides an SQS delay, rounding up, and leaves a message without one alone', () => {
    // Act
    const compressed = JSON.parse(compressDelay(JSON.stringify({ QueueUrl: 'q', DelaySeconds: 30 }), 20));
    const none = compressDelay(JSON.stringify({ QueueUrl: 'q' }), 20);

    // Assess
    expect(compressed.DelaySeconds).toBe(2);
    expect(none).toBe('{"QueueUrl":"q"}');
  });

  it("keeps the recheck queue's visibility timeout longer than the function's timeout", () => {
    // Assess
    expect(PLAN.functionTimeoutMs).toBe(300_000 / PLAN.compression);
    expect(PLAN.visibilityTimeoutSeconds * 1000).toBeGreaterThan(PLAN.functionTimeoutMs);
  });
});

describe("a worker's environment", () => {
  it("sends every AWS call through the proxy with the worker's own key, and scales settings measured in time", () => {
    // Act
    const env = workerEnv(
      {
        POLICY_CACHE_SECONDS: '60',
        RECHECK_DEADLINE_MINUTES: '120',
        SWEEP_CONCURRENCY: '64',
        RECHECK_VISIBILITY_SECONDS: '1800',
        SWEEP_SCHEDULE: 'rate(1 hour)',
      },
      { RECHECK_QUEUE_URL: 'http://127.0.0.1:5000/123456789012/recheck' },
      'http://127.0.0.1:6000',
      4,
      PLAN,
    );

    // Assess
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:6000',
      RECHECK_QUEUE_URL: 'http://127.0.0.1:6000/123456789012/recheck',
      AWS_ACCESS_KEY_ID: workerAccessKey(4),
      POLICY_CACHE_SECONDS: '3',
      RECHECK_DEADLINE_MINUTES: '6',
      SWEEP_CONCURRENCY: '64',
      // A confirmed record would otherwise hide for the stack's 30 minutes, a storm's ten hours.
      RECHECK_VISIBILITY_SECONDS: String(PLAN.visibilityTimeoutSeconds),
      SWEEP_SCHEDULE: `rate(${60 / PLAN.compression} minutes)`,
    });
    expect(throughProxy('http://127.0.0.1:5000/1/q', 'http://127.0.0.1:6000')).toBe(
      'http://127.0.0.1:6000/1/q',
    );
  });
});

describe('the on-failure destination', () => {
  it('holds the event, which names itself by its CloudTrail id or its own', () => {
    // Prepare
    const record = failureRecord({ id: 'eb-1', detail: { eventID: 'evt-1' } }, 'boom', new Date(0));

    // Act
    const [trail, schedule, broken] = [
      failedEventId(JSON.stringify(record)),
      failedEventId(JSON.stringify(failureRecord({ id: 'sw-1' }, 'boom', new Date(0)))),
      failedEventId('not json'),
    ];

    // Assess
    expect([trail, schedule, broken]).toEqual(['evt-1', 'sw-1', undefined]);
    expect(record).toMatchObject({
      requestContext: { condition: 'RetriesExhausted' },
      responsePayload: { errorMessage: 'boom' },
    });
  });
});

describe('the last line', () => {
  it('says what the issue asks, from the invariants', () => {
    // Prepare
    const broken = (name: string, n: number) => ({ name, checked: 10, broken: n, examples: [] });
    const run = {
      invariants: [
        broken('every cluster compliant, or its reason recorded', 1),
        broken('every update the guard issued has exactly one remediated record', 2),
        broken('no update was issued for a cluster already compliant', 3),
        broken('no event lost: each has a decision or is in a dead-letter queue', 4),
      ],
      converged: { ok: 9, of: 10 },
      figures: { events: 100, faultCount: 20, crashCount: 5 },
    } as never;

    // Act
    const line = lastLine(run);

    // Assess
    expect(line).toBe(
      'storm: 100 events, 20 faults, 5 crashes: lost 4, duplicate updates 3, unrecorded remediations 2, converged 9/10',
    );
  });
});
