import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeClusterCommand,
  DescribeUpdateCommand,
  ListClustersCommand,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import { PublishCommand } from '@aws-sdk/client-sns';
import fc from 'fast-check';
import { isOutcome } from '../../../functions/core/outcome';
import { PolicyError, validatePolicy } from '../../../functions/core/policy/policy';
import {
  type HandlerResponse,
  type ProcessOptions,
  processEvent,
} from '../../../functions/guard/process-event';
import type { GuardPorts } from '../../../functions/ports';
import {
  auditWrites,
  clusterOf,
  givenPolicy,
  loadEvent,
  mocks,
  processOptions,
  resetAws,
  TEST_ENV,
  testConfig,
  testPorts,
} from '../support/aws';

/**
 * Whatever arrives (any JSON, any JS value, broken copies of the sample events) and whatever
 * the policy parameter holds, processEvent resolves with readable results and never changes a
 * cluster for input it could not read.
 */

const NOW = new Date('2025-06-03T10:20:00Z');
const RUNS = { numRuns: 10_000 };
const REPO = join(__dirname, '..', '..', '..');
const POLICY_NAME = TEST_ENV.POLICY_PARAMETER_NAME;

const EVENT_FILES = readdirSync(join(REPO, 'events')).filter((f) => f.endsWith('.json'));
const EVENTS = EVENT_FILES.map((name) => loadEvent(name));
const EXAMPLE_TEXTS = readdirSync(join(REPO, 'docs', 'examples'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => readFileSync(join(REPO, 'docs', 'examples', f), 'utf8'));
const EXAMPLES = EXAMPLE_TEXTS.map((text) => JSON.parse(text) as unknown);

// ---- the AWS account: healthy, every name a cluster ----

type Exposure = 'compliant' | 'open';

/** Any cluster name exists: private only (compliant with the strict policy) or open to the world. */
function givenEveryCluster(exposure: Exposure): void {
  // Only the behaviours these runs use: the mock tries each one on every call.
  mocks.eks.reset();
  mocks.eks.on(UpdateClusterConfigCommand).resolves({
    update: { id: 'upd-0001', status: 'InProgress', type: 'EndpointAccessUpdate' },
  });
  mocks.eks.on(DescribeUpdateCommand).resolves({ update: { id: 'upd-0001', status: 'Successful' } });
  mocks.eks.on(DescribeClusterCommand).callsFake((input: { name?: string }) => ({
    cluster: clusterOf({
      name: input.name ?? 'unnamed',
      vpcId: 'vpc-0abc',
      ...(exposure === 'compliant'
        ? { publicAccess: false, privateAccess: true }
        : { publicAccess: true, privateAccess: false, cidrs: ['0.0.0.0/0'] }),
    }),
  }));
  mocks.eks.on(ListClustersCommand).resolves({ clusters: ['prod-api', 'payments'] });
}

/** History only: behaviours stay, so each run costs no mock set-up. */
function forgetCalls(): void {
  for (const mock of Object.values(mocks)) mock.resetHistory();
}

function updateNames(): string[] {
  return mocks.eks.commandCalls(UpdateClusterConfigCommand).map((call) => call.args[0].input.name ?? '');
}

// ---- values that break readers ----

const LINE_BREAKS = ['\n', '\r\n', '\r', '\u2028', '\u2029', '\u0085'];
const LINE_BREAK = /[\r\n\u2028\u2029\u0085]/;

const brokenLineArb = fc
  .tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...LINE_BREAKS), fc.string({ maxLength: 12 }))
  .map(([a, br, b]) => `${a}${br}${b}`);

const hugeStringArb = fc
  .tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.constantFrom('a', 'é', '😀', '0', '-', '\n'))
  .map(([n, unit]) => unit.repeat(n));

const nastyStringArb = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 3, arbitrary: brokenLineArb },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'null',
      '__proto__',
      'constructor',
      'toString',
      'prod-api',
      'prod-api ',
      'aws:sqs',
      'eks.amazonaws.com',
      'UpdateClusterConfig',
      'AWS API Call via CloudTrail',
      'Scheduled Event',
      'eks-endpoint-guard-0000',
      '0.0.0.0/0',
      '9999-12-31T23:59:59Z',
      '\u0000',
      '\ud800',
      'Ω≈ç√',
      '👩‍👩‍👧‍👦',
    ),
  },
  { weight: 1, arbitrary: hugeStringArb },
);

const wrongValueArb = fc.oneof(
  { weight: 4, arbitrary: nastyStringArb },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(0, -1, 1.5, -0, 1e308, Number.NaN, Infinity, true, false, null),
  },
  { weight: 2, arbitrary: fc.constantFrom<unknown>([], {}, [null], { '': '' }, [[]], { Records: [] }) },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 2 }) },
);

// ---- mutations of a valid JSON document ----

type Key = string | number;
type Container = Record<string, unknown> | unknown[];

interface Mutation {
  op: 'delete' | 'replace' | 'wrong-type' | 'insert';
  /** Which node, as an index into the document's paths (modulo their number). */
  at: number;
  value: unknown;
  key: string;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom<Mutation['op']>('delete', 'replace', 'wrong-type', 'insert'),
  at: fc.nat(),
  value: wrongValueArb,
  key: fc.oneof(fc.constantFrom('name', 'clusterName', 'eventSource', 'kind', 'extra'), nastyStringArb),
});

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** Every path below the root, depth first. */
function pathsOf(value: unknown, prefix: Key[] = [], into: Key[][] = []): Key[][] {
  if (!isContainer(value)) return into;
  for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
    const path = [...prefix, key];
    into.push(path);
    pathsOf((value as Record<Key, unknown>)[key], path, into);
  }
  return into;
}

/** A value of another JSON type that still says roughly the same. */
function otherType(value: unknown): unknown {
  if (typeof value === 'string') return Number.isNaN(Number(value)) ? value.length : Number(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return { ...value };
  if (isContainer(value)) return Object.values(value);
  return 'null';
}

function applyMutation(document: unknown, mutation: Mutation): unknown {
  const paths = pathsOf(document);
  if (paths.length === 0) return mutation.op === 'replace' ? structuredClone(mutation.value) : document;
  const path = paths[mutation.at % paths.length] as Key[];
  const parent = path
    .slice(0, -1)
    .reduce<unknown>((node, key) => (node as Record<Key, unknown>)[key], document);
  const key = path.at(-1) as Key;
  const slot = parent as Record<Key, unknown>;
  // A copy: generated constants are shared between runs and must not end up inside each other.
  const value = structuredClone(mutation.value);
  switch (mutation.op) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete slot[key];
      break;
    case 'replace':
      slot[key] = value;
      break;
    case 'wrong-type':
      slot[key] = otherType(slot[key]);
      break;
    case 'insert': {
      const target = slot[key];
      if (Array.isArray(target)) target.push(value);
      else if (isContainer(target))
        Object.defineProperty(target, mutation.key, {
          value,
          enumerable: true,
          configurable: true,
          writable: true,
        });
      else slot[key] = { [mutation.key]: value };
    }
  }
  return document;
}

/**
 * A sample event with mutations applied to the envelope or, for SQS events, to the check request
 * inside a message body (which is then serialised again, as the guard would have sent it).
 */
const mutatedEventArb = fc
  .tuple(
    fc.constantFrom(...EVENTS),
    fc.array(fc.tuple(fc.boolean(), mutationArb), { minLength: 1, maxLength: 4 }),
  )
  .map(([original, mutations]) => {
    let event: unknown = structuredClone(original);
    for (const [inBody, mutation] of mutations) {
      const record = (event as { Records?: { body?: unknown }[] })?.Records?.[0];
      if (inBody && record && typeof record.body === 'string') {
        try {
          record.body = JSON.stringify(applyMutation(JSON.parse(record.body), mutation)) ?? 'undefined';
          continue;
        } catch {
          // Not JSON any more: mutate the envelope instead.
        }
      }
      event = applyMutation(event, mutation);
    }
    return event;
  });

const anyEventArb = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.anything({
      maxDepth: 3,
      withBigInt: true,
      withNullPrototype: true,
      withBoxedValues: true,
      withSparseArray: true,
      withDate: true,
      withMap: true,
      withSet: true,
    }),
  },
  { weight: 2, arbitrary: fc.json({ maxDepth: 3 }).map((text) => JSON.parse(text) as unknown) },
  { weight: 5, arbitrary: mutatedEventArb },
);

// ---- 1. events ----

describe('any event through processEvent, healthy AWS', () => {
  let ports: GuardPorts;
  let options: ProcessOptions;

  beforeAll(() => {
    ports = testPorts(NOW);
    options = processOptions();
  });

  // Each property starts from a healthy account with as few mock behaviours as possible.
  beforeEach(() => resetAws());

  async function handle(event: unknown): Promise<HandlerResponse> {
    forgetCalls();
    return processEvent(event, ports, options);
  }

  /** What must hold for any input, whatever the clusters look like. */
  function assertReadable(event: unknown, response: HandlerResponse): void {
    assert.ok(response.results.length > 0, 'no result at all');
    for (const result of response.results) {
      assert.ok(isOutcome(result.outcome), `not an outcome word: ${String(result.outcome)}`);
      assert.ok(typeof result.reason === 'string' && result.reason.trim() !== '', 'empty reason');
      assert.doesNotMatch(result.reason, LINE_BREAK, 'a reason on more than one line');
    }
    const records = (event as { Records?: unknown })?.Records;
    if (
      Array.isArray(records) &&
      records.some((r) => (r as { eventSource?: unknown })?.eventSource === 'aws:sqs')
    ) {
      assert.equal(response.results.length, records.length, 'a record without a result');
    }
    // Nothing failed in AWS, so nothing is handed back for a retry.
    assert.deepEqual(response.batchItemFailures, []);
    // A failure to decide is never dropped: it is on record.
    const recorded = new Set(
      auditWrites()
        .filter((w) => w.outcome === 'failed')
        .map((w) => w.correlationId),
    );
    for (const failed of response.results.filter((r) => r.outcome === 'failed')) {
      assert.ok(recorded.has(failed.correlationId), `failed but not recorded: ${failed.reason}`);
    }
  }

  it('resolves with readable results and never changes a compliant cluster', async () => {
    // Prepare
    givenEveryCluster('compliant');

    // Act + Assess
    await fc.assert(
      fc.asyncProperty(anyEventArb, async (event) => {
        const response = await handle(event);
        assertReadable(event, response);
        assert.deepEqual(updateNames(), []);
      }),
      RUNS,
    );
  }, 120_000);

  it('changes a non-compliant cluster only for results that say remediated', async () => {
    // Prepare
    givenEveryCluster('open');

    // Act + Assess
    await fc.assert(
      fc.asyncProperty(anyEventArb, async (event) => {
        const response = await handle(event);
        assertReadable(event, response);
        const remediated = response.results
          .filter((r) => r.outcome === 'remediated' && r.updateStatus === 'InProgress')
          .map((r) => r.cluster);
        assert.deepEqual(updateNames().sort(), remediated.sort());
      }),
      RUNS,
    );
  }, 120_000);
});

// ---- 2. policies ----

/** The text the parameter holds: givenPolicy stores strings as they are and JSON for anything else. */
function policyText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The oracle: is this parameter text a valid policy? */
function isValidPolicyText(text: string | undefined): boolean {
  if (text === undefined || text.trim() === '') return false;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return false;
  }
  try {
    validatePolicy(data, POLICY_NAME);
    return true;
  } catch (error) {
    if (error instanceof PolicyError) return false;
    throw error;
  }
}

/** An example policy as its author might have broken it in the editor: a cut, a stray character, a line joined. */
const brokenTextArb = fc
  .tuple(
    fc.constantFrom(...EXAMPLE_TEXTS),
    fc.nat(),
    fc.oneof(fc.constant(''), nastyStringArb, fc.constantFrom('}', ',', '"', ':', 'disabled')),
  )
  .map(([text, at, insert]) => {
    const cut = at % (text.length + 1);
    return `${text.slice(0, cut)}${insert}${text.slice(cut + 1)}`;
  });

const mutatedPolicyArb = fc
  .tuple(fc.constantFrom(...EXAMPLES), fc.array(mutationArb, { minLength: 1, maxLength: 3 }))
  .map(([example, mutations]) => mutations.reduce(applyMutation, structuredClone(example)));

/** A CIDR list entry that reads as a block to a person, with something odd around it. */
const oddCidrPolicyArb = fc
  .tuple(
    fc.constantFrom(...EXAMPLES),
    fc.constantFrom('203.0.113.0/24', '10.0.0.1/8', '2001:db8::/32'),
    nastyStringArb,
  )
  .map(([example, cidr, noise]) => ({
    ...(example as Record<string, unknown>),
    publicAccess: 'restricted',
    allowedPublicCidrs: [`${cidr}${noise}`],
  }));

const anyPolicyArb = fc.oneof(
  { weight: 2, arbitrary: fc.anything({ maxDepth: 3 }) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 2, arbitrary: brokenTextArb },
  { weight: 5, arbitrary: mutatedPolicyArb },
  { weight: 2, arbitrary: oddCidrPolicyArb },
  { weight: 1, arbitrary: fc.constantFrom(...EXAMPLES) },
);

describe('any policy parameter, non-compliant cluster, the open-world event', () => {
  const event = loadEvent('update-config-open-world.json');
  let ports: GuardPorts;
  let options: ProcessOptions;
  let policiesSet = 0;

  beforeAll(() => {
    resetAws();
    givenEveryCluster('open');
    // No caching: each run reads the parameter as it is now.
    ports = testPorts(NOW, testConfig({ POLICY_CACHE_SECONDS: '0' }));
    options = processOptions();
  });

  async function decideUnder(policy: unknown) {
    forgetCalls();
    // Each givenPolicy adds a behaviour that the mock tries on every call: start afresh every few runs.
    if (policiesSet++ % 4 === 0) mocks.ssm.reset();
    givenPolicy(policy);
    const response = await processEvent(event, ports, options);
    assert.equal(response.results.length, 1);
    return response.results[0] as HandlerResponse['results'][number];
  }

  it('never throws; an invalid policy fails with the parameter named, alerts, and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(anyPolicyArb, async (policy) => {
        // Prepare + Act
        const result = await decideUnder(policy);

        // Assess
        assert.ok(isOutcome(result.outcome));
        if (isValidPolicyText(policyText(policy))) {
          assert.deepEqual(updateNames(), result.outcome === 'remediated' ? ['prod-api'] : []);
          return;
        }
        assert.equal(result.outcome, 'failed');
        assert.ok(result.reason.startsWith(`policy ${POLICY_NAME}: `), result.reason);
        assert.deepEqual(updateNames(), []);
        assert.equal(mocks.sns.commandCalls(PublishCommand).length, 1, 'the policy fault was not alerted');
      }),
      RUNS,
    );
  }, 120_000);

  // Reasons end up in alert subjects and one-line logs: quoted text is escaped and clipped.
  it('gives an invalid policy a one-line reason', async () => {
    // Act + Assess
    await fc.assert(
      fc.asyncProperty(anyPolicyArb, async (policy) => {
        const result = await decideUnder(policy);
        if (!isValidPolicyText(policyText(policy))) assert.doesNotMatch(result.reason, LINE_BREAK);
      }),
      { ...RUNS, endOnFailure: true },
    );
  }, 120_000);

  // The most common broken policy: pretty-printed JSON with a typo.
  it('gives pretty-printed JSON with a syntax error a one-line reason', async () => {
    // Act
    const result = await decideUnder('{\n  "version": 1,\n  "publicAccess": disabled\n}');

    // Assess
    expect(result.outcome).toBe('failed');
    expect(result.reason).not.toContain('\n');
  });

  it('gives a CIDR with a trailing line break a one-line reason', async () => {
    // Act
    const result = await decideUnder({
      version: 1,
      publicAccess: 'restricted',
      allowedPublicCidrs: ['203.0.113.0/24\n'],
    });

    // Assess
    expect(result.outcome).toBe('failed');
    expect(result.reason).not.toContain('\n');
  });
});
