import { createCluster } from '../../functions/cli/sandbox';
import type { CheckResult } from '../../functions/core/result';
import { auditCount, auditRecords, createWorld, endpointOf, queueDepth, runCli, type World } from './support';

// Each CLI run is a fresh Node process; several run at once on a small machine.
jest.setTimeout(30_000);

/**
 * `check` as a person runs it: the CLI in a child process, environment pointing at the emulator,
 * stdout parsed as JSON (which also proves nothing else lands on stdout).
 */
const POLICY = { version: 1, mode: 'enforce', publicAccess: 'disabled', privateAccess: 'required' };

let world: World;
let clusters: { compliant: string; open: string; exempt: string; blocked: string };

beforeAll(async () => {
  world = await createWorld('chk', POLICY);
  clusters = {
    compliant: world.name('private'),
    open: world.name('open'),
    exempt: world.name('exempt'),
    blocked: world.name('nodns'),
  };
  await Promise.all([
    createCluster(world.clients.eks, {
      name: clusters.compliant,
      vpc: world.vpcs.withDns,
      endpoint: { publicAccess: false, privateAccess: true },
    }),
    createCluster(world.clients.eks, { name: clusters.open, vpc: world.vpcs.withDns }),
    createCluster(world.clients.eks, {
      name: clusters.exempt,
      vpc: world.vpcs.withDns,
      tags: { 'eks-endpoint-guard/exempt': 'load test until 2099-12-31' },
    }),
    createCluster(world.clients.eks, { name: clusters.blocked, vpc: world.vpcs.withoutDns }),
  ]);
});

const mine = (results: CheckResult[]) =>
  Object.fromEntries(
    results.filter((r) => Object.values(clusters).includes(r.cluster)).map((r) => [r.cluster, r.outcome]),
  );

describe('check through the CLI', () => {
  test('check reports every cluster of the region and changes, records and alerts nothing', async () => {
    // Prepare
    await world.inbox.drain();
    // Act
    const run = await runCli(['check', '--json'], world.processEnv);
    // Assess: stdout holds only the JSON; the decisions are not logged again on stderr without
    // --verbose. Other test files share the region: only this file's clusters are asserted.
    expect(Object.values(clusters).filter((cluster) => run.stderr.includes(cluster))).toEqual([]);
    // Exit code 3: a cluster is left non-compliant (would-remediate or blocked).
    expect(run.code).toBe(3);
    const results = JSON.parse(run.stdout) as CheckResult[];
    expect(mine(results)).toEqual({
      [clusters.compliant]: 'compliant',
      [clusters.open]: 'would-remediate',
      [clusters.exempt]: 'exempt',
      [clusters.blocked]: 'blocked',
    });
    // Other test files share the region: one result per cluster, whichever they are.
    expect(new Set(results.map((r) => r.cluster)).size).toBe(results.length);
    expect(await endpointOf(world, clusters.open)).toMatchObject({
      publicAccess: true,
      privateAccess: false,
    });
    expect(await auditCount(world)).toBe(0);
    expect(await queueDepth(world)).toBe(0);
    expect(await world.inbox.drain()).toEqual([]);
  });

  test('with --verbose --log-format json, each decision is one JSON log line on stderr', async () => {
    // Act
    const run = await runCli(['check', '--json', '--verbose', '--log-format', 'json'], world.processEnv);

    // Assess: every stderr line is one JSON object; the blocked decision is a warning
    const logged = run.stderr
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: string; cluster?: string; outcome?: string });
    const mineLogged = logged
      .filter((log) => Object.values(clusters).includes(log.cluster ?? ''))
      .map((log) => [log.cluster, log.level, log.outcome])
      .sort();
    expect(mineLogged).toEqual(
      [
        [clusters.blocked, 'WARN', 'blocked'],
        [clusters.compliant, 'INFO', 'compliant'],
        [clusters.exempt, 'INFO', 'exempt'],
        [clusters.open, 'INFO', 'would-remediate'],
      ].sort(),
    );
  });

  test('with --verbose on a terminal, each decision is one line a person reads', async () => {
    // Act
    const run = await runCli(['check', '--cluster', clusters.blocked, '--verbose'], world.processEnv);

    // Assess
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^eks-endpoint-guard: warn: ${clusters.blocked}: blocked: .+ \\(outcome=blocked, .*cluster=${clusters.blocked}, `,
      ),
    );
  });

  test('check prints an aligned table and a summary by default', async () => {
    // Prepare
    const args = ['check', '--cluster', clusters.compliant, clusters.open];
    // Act
    const run = await runCli(args, world.processEnv);
    // Assess
    expect(run.code).toBe(3);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CLUSTER\s+OUTCOME\s+CHANGE\s+REASON$/);
    const outcomeColumn = lines[0]?.indexOf('OUTCOME');
    const rows = lines.slice(1, 3);
    expect(
      rows.map((row) => row.indexOf(row.includes('would-remediate') ? 'would-remediate' : 'compliant')),
    ).toEqual([outcomeColumn, outcomeColumn]);
    expect(lines.at(-1)).toBe('2 clusters: 1 compliant, 1 would-remediate');
  });

  test('check --fix acts like the Lambda on the named clusters', async () => {
    // Prepare
    await world.inbox.drain();
    const names = Object.values(clusters);
    // Act
    const run = await runCli(['check', '--fix', '--json', '--cluster', ...names], world.processEnv);
    // Assess
    expect(run.code).toBe(3);
    const results = JSON.parse(run.stdout) as CheckResult[];
    expect(mine(results)).toEqual({
      [clusters.compliant]: 'compliant',
      [clusters.open]: 'remediated',
      [clusters.exempt]: 'exempt',
      [clusters.blocked]: 'blocked',
    });
    expect(results.every((r) => r.trigger.source === 'cli')).toBe(true);
    expect(await endpointOf(world, clusters.open)).toMatchObject({
      publicAccess: false,
      privateAccess: true,
    });
    expect(await endpointOf(world, clusters.exempt)).toMatchObject({
      publicAccess: true,
      privateAccess: false,
    });
    expect(await endpointOf(world, clusters.blocked)).toMatchObject({
      publicAccess: true,
      privateAccess: false,
    });
    expect((await auditRecords(world, clusters.open)).map((r) => r.outcome)).toEqual(['remediated']);
    expect(await auditCount(world)).toBe(4);
    const alerted = (await world.inbox.drain()).map((a) => a.attributes.outcome).sort();
    expect(alerted).toEqual(['blocked', 'exempt', 'remediated']);
  });
});

describe('CLI errors are one line on stderr with exit code 1', () => {
  test.concurrent.each([
    [
      'a missing event file',
      ['invoke', 'events/no-such-event.json'],
      /^eks-endpoint-guard: cannot read events\/no-such-event\.json: no such file$/,
    ],
    [
      'an unknown outcome word',
      ['audit', '--outcome', 'fixed'],
      /^eks-endpoint-guard: --outcome "fixed": expected one of compliant, remediated, /,
    ],
    [
      'a bad --since',
      ['audit', '--since', 'yesterday'],
      /^eks-endpoint-guard: --since "yesterday": expected a duration such as 30m, 12h or 7d/,
    ],
    [
      'an unknown option',
      ['check', '--fixx'],
      /^eks-endpoint-guard: unknown option '--fixx' \(Did you mean --fix\?\)$/,
    ],
  ])('%s', async (_, args, message) => {
    // Prepare
    const env = world.processEnv;
    // Act
    const run = await runCli(args, env);
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr.trimEnd()).toMatch(message);
  });

  test.concurrent('invalid JSON on standard input names the line and column', async () => {
    // Prepare
    const event = '{\n  "detail-type": "Scheduled Event",\n  "source": aws.events\n}';
    // Act
    const run = await runCli(['invoke', '-'], world.processEnv, event);
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^eks-endpoint-guard: standard input: invalid JSON at line 3, column 13: expected a value .*, found 'aws\.events'\n$/,
    );
  });

  test.concurrent('a missing environment variable names it and says how to get one', async () => {
    // Prepare
    const { TOPIC_ARN: _, ...env } = world.processEnv;
    // Act
    const run = await runCli(['check', '--fix'], env);
    // Assess: --fix alerts, so it needs the topic (report-only does not)
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'eks-endpoint-guard: environment variable TOPIC_ARN is not set; run "npm run cli -- local-env" against an emulator, or set POLICY_PARAMETER_NAME, TOPIC_ARN, RECHECK_QUEUE_URL, AUDIT_TABLE_NAME and AWS_REGION\n',
    );
  });

  test.concurrent('a failed AWS call names the call and the resource', async () => {
    // Prepare
    const env = { ...world.processEnv, AUDIT_TABLE_NAME: 'chk-no-such-table' };
    // Act
    const run = await runCli(['audit'], env);
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^eks-endpoint-guard: the audit table chk-no-such-table does not exist in us-east-1: is the guard deployed there\? Choose its region with --region, or read its names from its stack with --stack NAME\n$/,
    );
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test.concurrent('local-env refuses an endpoint that is not a loopback address', async () => {
    // Prepare
    const env = { ...world.processEnv, AWS_ENDPOINT_URL: 'https://eks.us-east-1.amazonaws.com' };
    // Act
    const run = await runCli(['local-env'], env);
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^eks-endpoint-guard: AWS_ENDPOINT_URL=https:\/\/eks\.us-east-1\.amazonaws\.com is not a loopback address/,
    );
  });
});
