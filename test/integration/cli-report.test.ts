import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditStore } from '../../functions/aws/audit-store';
import { writeHtmlReport } from '../../functions/cli/commands/report';
import { createCluster } from '../../functions/cli/sandbox';
import type { AccountReport } from '../../functions/core/report/summary';
import type { CheckResult } from '../../functions/core/result';
import { processEvent } from '../../functions/guard/process-event';
import { sweep } from '../../functions/guard/sweep';
import { ACCOUNT, auditRecords, createWorld, REGION, runCli, sampleEvent, type World } from './support';

jest.setTimeout(60_000);

/** `report` as documented, after a scripted history: real decisions through the guard, plus records and sweep summaries written through the audit store. */
const POLICY = { version: 1, publicAccess: 'disabled', privateAccess: 'required' };
const JDOE = 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let world: World;
let now: number;
let names: Record<'open' | 'nodns' | 'quiet' | 'flipped', string>;
const iso = (ms: number) => new Date(ms).toISOString();

function eventAt(file: string, cluster: string, time: number): unknown {
  const event = sampleEvent(file, cluster) as { time: string; detail: { eventTime: string } };
  event.time = iso(time);
  event.detail.eventTime = iso(time);
  return event;
}

/** The guard's update issued at `issued` for a change at `changed`, followed to Successful at `done`. */
function remediationStory(cluster: string, changed: number, issued: number, done: number): CheckResult[] {
  const base: CheckResult = {
    cluster,
    region: REGION,
    account: ACCOUNT,
    outcome: 'remediated',
    reason: 'scripted',
    time: iso(issued),
    correlationId: `story-${cluster}`,
    trigger: { source: 'event', eventName: 'UpdateClusterConfig', eventTime: iso(changed), actorArn: JDOE },
    attempt: 0,
    violations: [{ rule: 'public-disabled', reason: 'public endpoint is on' }],
    before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
    after: { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
    updateId: 'upd-story',
    updateStatus: 'InProgress',
  };
  const { violations: _v, ...followed } = base;
  return [
    base,
    { ...followed, time: iso(done), attempt: 1, updateStatus: 'Successful', reason: 'update succeeded' },
  ];
}

beforeAll(async () => {
  world = await createWorld('rep', POLICY);
  now = Date.now();
  names = {
    open: world.name('open'),
    nodns: world.name('nodns'),
    quiet: world.name('quiet'),
    flipped: world.name('flipped'),
  };
  await Promise.all([
    createCluster(world.clients.eks, { name: names.open, vpc: world.vpcs.withDns }),
    createCluster(world.clients.eks, { name: names.nodns, vpc: world.vpcs.withoutDns }),
    createCluster(world.clients.eks, {
      name: names.quiet,
      vpc: world.vpcs.withDns,
      endpoint: { publicAccess: false, privateAccess: true },
    }),
  ]);
  const { ports, options } = world.guard();
  // Real decisions: a change two minutes ago, remediated; one the lockout guard refuses.
  await processEvent(eventAt('update-config-open-world.json', names.open, now - 2 * MINUTE), ports, options);
  await processEvent(eventAt('update-config-open-world.json', names.nodns, now - 3 * MINUTE), ports, options);
  // Two sweeps of the compliant cluster: the second leaves only its marker.
  for (const id of ['sweep-a', 'sweep-b']) {
    const results = sweep(ports, options.guard, {
      region: REGION,
      sweepId: id,
      trigger: { source: 'sweep' },
      concurrency: 2,
      clusters: [names.quiet],
    });
    for await (const _ of results);
  }
  // Scripted: an older remediation followed to Successful, and three sweeps with a 3-hour gap.
  const store = auditStore(world.clients.dynamodb, world.env.AUDIT_TABLE_NAME, REGION, 0);
  const story = remediationStory(
    names.flipped,
    now - 3 * HOUR,
    now - 3 * HOUR + 30_000,
    now - 3 * HOUR + 300_000,
  );
  for (const record of story) await store.write(record);
  for (const [id, at] of [
    ['s1', now - 5 * HOUR],
    ['s2', now - 4 * HOUR],
    ['s3', now - HOUR],
  ] as const) {
    await store.sweepSummary({
      sweepId: id,
      region: REGION,
      account: ACCOUNT,
      startedAt: iso(at),
      time: iso(at + 2000),
      durationMs: 2000,
      clustersChecked: 4,
      outcomes: { compliant: 4 },
      policyDigests: [],
    });
  }
});

async function report(...args: string[]): Promise<AccountReport> {
  const run = await runCli(['report', '--format', 'json', '--since', '6h', ...args], world.processEnv);
  if (run.code !== 0) throw new Error(`report failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as AccountReport;
}

describe('report against the emulator', () => {
  test('--format json gives each cluster its windows, exposure, actors and the sweeps', async () => {
    // Act
    const result = await report();

    // Assess
    const byName = Object.fromEntries(result.clusters.map((c) => [c.cluster, c]));
    expect(Object.keys(byName).sort()).toEqual(Object.values(names).sort());
    expect(byName[names.open]).toMatchObject({
      region: REGION,
      stillExposed: false,
      actors: [{ arn: expect.stringContaining('PlatformAdmin/jdoe'), source: 'event', windows: 1 }],
      // The scripted event claims a change two minutes before the cluster was created: the
      // window starts when the cluster came to exist.
      windows: [{ startSource: 'cluster-created', closedBy: 'remediated' }],
    });
    const [opened] = byName[names.open]?.windows ?? [];
    expect(opened?.start).toBe(opened?.clusterCreatedAt);
    expect(Date.parse(opened?.start ?? '')).toBeGreaterThan(now - 2 * MINUTE);
    expect(byName[names.open]?.exposedSeconds).toBeGreaterThanOrEqual(0);
    expect(byName[names.flipped]).toMatchObject({
      exposedSeconds: 300,
      timeToRemediate: { count: 1, p50Seconds: 300, p95Seconds: 300 },
      windows: [
        { start: iso(now - 3 * HOUR), end: iso(now - 3 * HOUR + 300_000), closedBy: 'update-successful' },
      ],
    });
    expect(byName[names.nodns]).toMatchObject({
      stillExposed: true,
      blocked: { fix: expect.stringContaining('DNS hostnames') },
    });
    expect(byName[names.quiet]).toMatchObject({ exposedSeconds: 0, windows: [], lastOutcome: 'compliant' });
    // Three summaries, and the first sweep of the quiet cluster, known from its compliant record.
    expect(result.sweeps).toMatchObject({ count: 4, fromRecords: 1, intervalSeconds: 3600 });
    expect(Date.parse(result.sweeps.last ?? '')).toBeGreaterThanOrEqual(now);
    expect(result.sweeps.gaps).toEqual([{ from: iso(now - 4 * HOUR), to: iso(now - HOUR), seconds: 10_800 }]);
    expect(result.windows).toEqual({ openAtStart: 0, opened: 3, closed: 2, open: 1 });
    expect(result.policies).toEqual([
      expect.objectContaining({ digest: expect.stringMatching(/^sha256:/), policyParameterVersion: 1 }),
    ]);
    expect(result.policies[0]).not.toHaveProperty('version');
  });

  test('an unchanged compliant sweep check leaves the marker, not a second record', async () => {
    // Act
    const records = await auditRecords(world, names.quiet);
    const { Items = [] } = await DynamoDBDocumentClient.from(world.clients.dynamodb).send(
      new QueryCommand({
        TableName: world.env.AUDIT_TABLE_NAME,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `#checked#${REGION}` },
      }),
    );

    // Assess
    expect(records.map((r) => [r.outcome, r.correlationId])).toEqual([
      ['compliant', `sweep-a/${names.quiet}`],
    ]);
    expect(Items.map((i) => [i.sk, i.lastOutcome, i.correlationId])).toEqual([
      [names.quiet, 'compliant', `sweep-b/${names.quiet}`],
    ]);
  });

  test('--cluster takes a glob and --sweep-interval moves the gap threshold', async () => {
    // Act
    const result = await report('--cluster', `${world.suffix}-*d*`, '--sweep-interval', '2h');

    // Assess
    expect(result.clusters.map((c) => c.cluster).sort()).toEqual([names.flipped, names.nodns].sort());
    expect(result.sweeps.gaps).toEqual([]);
  });

  test('--out writes one self-contained HTML file with a bar per window, and csv and md print', async () => {
    // Prepare
    const out = join(mkdtempSync(join(tmpdir(), 'guard-report-')), 'exposure.html');

    // Act
    const html = await runCli(['report', '--since', '6h', '--out', out], world.processEnv);
    const csv = await runCli(['report', '--since', '6h', '--format', 'csv'], world.processEnv);
    const md = await runCli(['report', '--since', '6h'], world.processEnv);

    // Assess
    expect(html).toMatchObject({ code: 0, stdout: '' });
    expect(html.stderr).toContain(`report written to ${out} (html, 4 cluster(s))`);
    const page = readFileSync(out, 'utf8');
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page.match(/<rect class="bar/g)).toHaveLength(3);
    expect(page).not.toMatch(/<script|<link|src=|url\(/i);
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^cluster,region,account,start,startSource,/);
    expect(csv.stdout.split('\r\n').filter(Boolean)).toHaveLength(5);
    expect(md.stdout).toMatch(/^# EKS endpoint exposure report\n/);
  });

  test('the demo’s writer leaves the HTML report of everything since a start', async () => {
    // Prepare
    const out = join(mkdtempSync(join(tmpdir(), 'guard-demo-report-')), 'demo-report.html');
    const store = auditStore(world.clients.dynamodb, world.env.AUDIT_TABLE_NAME, REGION, 0);

    // Act
    const written = await writeHtmlReport(store, REGION, new Date(now - 6 * HOUR), out);

    // Assess
    expect(written.clusters).toHaveLength(4);
    expect(readFileSync(out, 'utf8').match(/<rect class="bar/g)).toHaveLength(3);
  });

  test('refuses a bad period in one line', async () => {
    // Act
    const run = await runCli(['report', '--month', '2026-13'], world.processEnv);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('eks-endpoint-guard: --month "2026-13": expected a month such as 2026-11\n');
  });
});
