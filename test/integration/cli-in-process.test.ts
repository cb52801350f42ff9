import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { auditStore } from '../../functions/aws/audit-store';
import { TRY_IT_YOURSELF } from '../../functions/cli/demo';
import { DEFAULT_POLICY_TEXT } from '../../functions/cli/local-env';
import { createCluster } from '../../functions/cli/sandbox';
import type { CheckResult } from '../../functions/core/result';
import { type InProcessRun, runInProcess, withEnv } from '../unit/cli/in-process';
import {
  ACCOUNT,
  auditCount,
  auditRecordFixture,
  auditRecords,
  createWorld,
  endpointOf,
  queueDepth,
  REGION,
  runCli,
  sampleEvent,
  type World,
} from './support';

// The demo starts an emulator of its own; everything else is quick.
jest.setTimeout(60_000);

/**
 * The command line run in this process through the same entry point as the bin (main), against the
 * shared emulator: every command, its table and JSON output, its errors. The child-process tests
 * (cli-check, cli-audit) prove the same program keeps stdout clean; these see every line of it.
 */
const POLICY = { version: 1, mode: 'enforce', publicAccess: 'disabled', privateAccess: 'required' };
const EXEMPT_TAG = { 'eks-endpoint-guard/exempt': 'load test until 2099-12-31' };
const RESULT_HEADER = /^CLUSTER\s+OUTCOME\s+CHANGE\s+REASON$/;

let world: World;
let dir: string;

beforeAll(async () => {
  world = await createWorld('cip', POLICY);
  dir = mkdtempSync(join(tmpdir(), 'cli-in-process-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await world.inbox.drain();
});

/** A sample event aimed at one of this file's clusters, saved as a file. */
function eventFile(file: string, cluster: string): string {
  const path = join(dir, `${cluster}-${file}`);
  writeFileSync(path, JSON.stringify(sampleEvent(file, cluster)));
  return path;
}

const lines = (text: string) => text.trimEnd().split('\n');
const json = <T = CheckResult>(run: InProcessRun) => JSON.parse(run.stdout) as T[];

describe('invoke', () => {
  test('an event file: one table row per decision and a summary, the cluster remediated', async () => {
    // Prepare
    const cluster = world.name('inv-file');
    await createCluster(world.clients.eks, { name: cluster, vpc: world.vpcs.withDns });
    const file = eventFile('update-config-open-world.json', cluster);
    // Act
    const run = await runInProcess(['invoke', file]);
    // Assess: the output
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [header, row, blank, summary, ...rest] = lines(run.stdout);
    expect(header).toMatch(RESULT_HEADER);
    expect(row).toMatch(
      new RegExp(
        `^${cluster}\\s+remediated\\s+public \\(0\\.0\\.0\\.0/0\\) → private\\s+public endpoint is enabled`,
      ),
    );
    expect([blank, summary, rest]).toEqual(['', '1 result: 1 remediated', []]);
    // Assess: what the Lambda would have done
    expect(await endpointOf(world, cluster)).toMatchObject({ publicAccess: false, privateAccess: true });
    expect((await auditRecords(world, cluster)).map((r) => r.outcome)).toEqual(['remediated']);
    expect((await world.inbox.drain()).map((a) => a.attributes.outcome)).toEqual(['remediated']);
  });

  test('an event file with --json: an array of results, the failed call ignored', async () => {
    // Prepare
    const cluster = world.name('inv-failed');
    const file = eventFile('update-config-failed.json', cluster);
    // Act
    const run = await runInProcess(['invoke', file, '--json']);
    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(json(run).map(({ cluster, outcome, reason }) => ({ cluster, outcome, reason }))).toEqual([
      { cluster, outcome: 'ignored', reason: 'the API call failed (AccessDeniedException); nothing changed' },
    ]);
    expect(await auditRecords(world, cluster)).toEqual([]);
  });

  test('standard input with --json: the event read from "-" and acted on', async () => {
    // Prepare
    const cluster = world.name('inv-stdin');
    await createCluster(world.clients.eks, { name: cluster, vpc: world.vpcs.withDns });
    const event = JSON.stringify(sampleEvent('create-cluster-public.json', cluster), null, 2);
    // Act
    const run = await runInProcess(['invoke', '-', '--json'], { stdin: event });
    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [result, ...more] = json(run);
    expect(more).toEqual([]);
    expect(result).toMatchObject({
      cluster,
      region: REGION,
      account: ACCOUNT,
      outcome: 'remediated',
      trigger: { source: 'event', eventName: 'CreateCluster' },
      before: { publicAccess: true, privateAccess: false },
      after: { publicAccess: false, privateAccess: true },
    });
    expect(await endpointOf(world, cluster)).toMatchObject({ publicAccess: false, privateAccess: true });
  });

  test('standard input with --dry-run: the table says would-remediate and nothing changes', async () => {
    // Prepare
    const cluster = world.name('inv-dry');
    await createCluster(world.clients.eks, { name: cluster, vpc: world.vpcs.withDns });
    const event = JSON.stringify(sampleEvent('update-config-open-world.json', cluster));
    // Act
    const run = await runInProcess(['invoke', '-', '--dry-run'], { stdin: event });
    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const output = lines(run.stdout);
    expect(output).toHaveLength(4);
    expect(output[1]).toMatch(
      new RegExp(`^${cluster}\\s+would-remediate\\s+public \\(0\\.0\\.0\\.0/0\\) → private`),
    );
    expect(output[3]).toBe('1 result: 1 would-remediate');
    expect(await endpointOf(world, cluster)).toMatchObject({ publicAccess: true, privateAccess: false });
    expect(await auditRecords(world, cluster)).toEqual([]);
    expect(await world.inbox.drain()).toEqual([]);
  });

  test('a re-check message that cannot be recorded is reported deferred and left for a retry', async () => {
    // Prepare: the audit table does not exist, so the decision cannot be recorded
    const cluster = world.name('inv-retry');
    await createCluster(world.clients.eks, {
      name: cluster,
      vpc: world.vpcs.withDns,
      endpoint: { publicAccess: false, privateAccess: true },
    });
    const file = eventFile('recheck-message.json', cluster);
    // Act
    const run = await withEnv({ AUDIT_TABLE_NAME: 'cip-no-such-table' }, () =>
      runInProcess(['invoke', file, '--json']),
    );
    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      '1 message(s) would go back to the queue for a retry: 5f1c3e7a-9b2d-4c6e-8a0f-1d3b5e7c9a2f\n',
    );
    const [result, ...more] = json(run);
    expect(more).toEqual([]);
    expect(result).toMatchObject({
      cluster,
      outcome: 'deferred',
      trigger: { source: 'event', eventName: 'CreateCluster' },
      attempt: 3,
      reason: `DeliveryError: ${cluster}: decided compliant but could not deliver the audit record; the message stays on the queue and is retried`,
    });
  });
});

describe('check', () => {
  let clusters: { compliant: string; open: string; exempt: string; blocked: string };

  beforeAll(async () => {
    clusters = {
      compliant: world.name('chk-private'),
      open: world.name('chk-open'),
      exempt: world.name('chk-exempt'),
      blocked: world.name('chk-nodns'),
    };
    await Promise.all([
      createCluster(world.clients.eks, {
        name: clusters.compliant,
        vpc: world.vpcs.withDns,
        endpoint: { publicAccess: false, privateAccess: true },
      }),
      createCluster(world.clients.eks, { name: clusters.open, vpc: world.vpcs.withDns }),
      createCluster(world.clients.eks, { name: clusters.exempt, vpc: world.vpcs.withDns, tags: EXEMPT_TAG }),
      createCluster(world.clients.eks, { name: clusters.blocked, vpc: world.vpcs.withoutDns }),
    ]);
  });

  const mine = (results: CheckResult[]) =>
    Object.fromEntries(
      results.filter((r) => Object.values(clusters).includes(r.cluster)).map((r) => [r.cluster, r.outcome]),
    );

  test('--json over the whole region reports each cluster once and changes nothing', async () => {
    // Prepare: earlier remediations of this world left their records of intent on the queue
    const recordsBefore = await auditCount(world);
    const queuedBefore = await queueDepth(world);
    // Act
    const run = await runInProcess(['check', '--json']);
    // Assess
    // Exit code 3: a cluster is left non-compliant (would-remediate or blocked).
    expect(run).toMatchObject({ code: 3, stderr: '' });
    const results = json(run);
    expect(mine(results)).toEqual({
      [clusters.compliant]: 'compliant',
      [clusters.open]: 'would-remediate',
      [clusters.exempt]: 'exempt',
      [clusters.blocked]: 'blocked',
    });
    expect(new Set(results.map((r) => r.cluster)).size).toBe(results.length);
    expect(results.every((r) => r.trigger.source === 'sweep')).toBe(true);
    expect(await endpointOf(world, clusters.open)).toMatchObject({
      publicAccess: true,
      privateAccess: false,
    });
    expect(await auditCount(world)).toBe(recordsBefore);
    expect(await queueDepth(world)).toBe(queuedBefore);
    expect(await world.inbox.drain()).toEqual([]);
  });

  test('the table lists the named clusters, aligned, with a summary', async () => {
    // Act
    const run = await runInProcess(['check', '--cluster', clusters.compliant, '--cluster', clusters.blocked]);
    // Assess
    // Exit code 3: a cluster is left non-compliant (would-remediate or blocked).
    expect(run).toMatchObject({ code: 3, stderr: '' });
    const [header = '', ...rows] = lines(run.stdout);
    expect(header).toMatch(RESULT_HEADER);
    const column = header.indexOf('OUTCOME');
    const byCluster = Object.fromEntries(rows.slice(0, 2).map((row) => [row.split(' ')[0], row]));
    expect(byCluster[clusters.compliant]?.indexOf('compliant')).toBe(column);
    expect(byCluster[clusters.blocked]?.indexOf('blocked')).toBe(column);
    expect(byCluster[clusters.blocked]).toContain(
      'turning the public endpoint off now would lock clients out',
    );
    expect(rows.slice(2)).toEqual(['', '2 clusters: 1 compliant, 1 blocked']);
  });

  test('progress is drawn on an interactive stderr and cleared before each row', async () => {
    // Act
    const run = await runInProcess(['check', '--cluster', clusters.compliant], { errIsTty: true });
    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('\r\x1b[Klisting clusters…\r\x1b[K\r\x1b[K1 cluster(s) checked…\r\x1b[K');
    expect(lines(run.stdout).at(-1)).toBe('1 cluster: 1 compliant');
  });

  test('a region without clusters: one line says so', async () => {
    // Prepare: the same policy parameter in a region of the emulator where no test creates clusters
    const region = 'ap-southeast-4';
    await new SSMClient({ region }).send(
      new PutParameterCommand({
        Name: world.env.POLICY_PARAMETER_NAME,
        Type: 'String',
        Overwrite: true,
        Value: JSON.stringify(POLICY),
      }),
    );
    // Act
    const run = await withEnv({ AWS_REGION: region }, () => runInProcess(['check']));
    // Assess
    expect(run).toEqual({ code: 0, stdout: 'no clusters\n', stderr: '' });
  });

  test('a cluster that does not exist is reported ignored', async () => {
    // Prepare
    const missing = world.name('chk-missing');
    // Act
    const run = await runInProcess(['check', '--cluster', missing, '--json']);
    // Assess
    expect(run.code).toBe(0);
    expect(json(run).map((r) => [r.cluster, r.outcome])).toEqual([[missing, 'ignored']]);
  });

  test('--fix acts like the Lambda: remediates, records and alerts', async () => {
    // Prepare
    const names = Object.values(clusters);
    // Act
    const run = await runInProcess(['check', '--fix', '--json', '--concurrency', '2', '--cluster', ...names]);
    // Assess: the results
    // Exit code 3: a cluster is left non-compliant (would-remediate or blocked).
    expect(run).toMatchObject({ code: 3, stderr: '' });
    const results = json(run);
    expect(mine(results)).toEqual({
      [clusters.compliant]: 'compliant',
      [clusters.open]: 'remediated',
      [clusters.exempt]: 'exempt',
      [clusters.blocked]: 'blocked',
    });
    expect(results.every((r) => r.trigger.source === 'cli')).toBe(true);
    // Assess: the clusters, the trail and the alerts
    expect(await endpointOf(world, clusters.open)).toMatchObject({
      publicAccess: false,
      privateAccess: true,
    });
    expect(await endpointOf(world, clusters.blocked)).toMatchObject({
      publicAccess: true,
      privateAccess: false,
    });
    for (const [name, outcome] of Object.entries(mine(results))) {
      expect((await auditRecords(world, name)).map((r) => r.outcome)).toEqual([outcome]);
    }
    const alerted = (await world.inbox.drain()).map((a) => a.attributes.outcome).sort();
    expect(alerted).toEqual(['blocked', 'exempt', 'remediated']);
  });
});

describe('audit', () => {
  const MINUTE = 60_000;
  const DAY = 24 * 60 * MINUTE;
  let a: string;
  let b: string;

  const record = auditRecordFixture;

  beforeAll(async () => {
    a = world.name('aud-a');
    b = world.name('aud-b');
    const store = auditStore(world.clients.dynamodb, world.env.AUDIT_TABLE_NAME, REGION, 0);
    await Promise.all(
      [
        record('a1', a, 'remediated', 10 * MINUTE),
        record('a2', a, 'blocked', 120 * MINUTE),
        record('a3', a, 'exempt', 3 * DAY),
        record('b1', b, 'remediated', 180 * MINUTE),
        record('b2', b, 'failed', 10 * DAY),
      ].map((r) => store.write(r)),
    );
  });

  test('the table: time, cluster, outcome, trigger, change and reason, newest first, with a count', async () => {
    // Act
    const run = await runInProcess(['audit', '--cluster', a]);
    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [header, ...rows] = lines(run.stdout);
    expect(header).toMatch(/^TIME\s+CLUSTER\s+OUTCOME\s+TRIGGER\s+CHANGE\s+REASON$/);
    expect(rows.slice(0, 3).map((row) => row.split(/\s{2,}/).slice(1, 3))).toEqual([
      [a, 'remediated'],
      [a, 'blocked'],
      [a, 'exempt'],
    ]);
    expect(rows[0]).toContain(
      'UpdateClusterConfig by assumed-role/PlatformAdmin/jdoe  public (0.0.0.0/0) → private  remediated for the audit test, with a comma',
    );
    expect(rows[3]).toBe('');
    expect(rows[4]).toMatch(/^3 records since \d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(rows).toHaveLength(5);
  });

  test('--json with --outcome and --since: only the matching records', async () => {
    // Act
    const [remediated, recent] = await Promise.all([
      runInProcess(['audit', '--json', '--cluster', a, '--outcome', 'REMEDIATED']),
      runInProcess(['audit', '--json', '--cluster', b, '--since', '30d']),
    ]);
    // Assess
    expect(json(remediated).map((r) => r.correlationId)).toEqual(['a1']);
    expect(json(recent).map((r) => r.correlationId)).toEqual(['b1', 'b2']);
  });

  test('--csv: a header and one quoted row per record', async () => {
    // Act
    const run = await runInProcess(['audit', '--csv', '--cluster', b, '--since', '4h']);
    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const rows = run.stdout.split('\r\n');
    expect(rows[0]).toBe(
      'time,cluster,region,account,outcome,trigger,eventId,eventTime,actor,actorSource,sourceIp,userAgent,correlationId,policyVersion,policyDigest,before,after,updateId,updateStatus,finalStatus,reason',
    );
    expect(rows[1]).toMatch(
      new RegExp(
        `^\\S+Z,${b},us-east-1,123456789012,remediated,UpdateClusterConfig,,,arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe,event,,,b1,,,public \\(0\\.0\\.0\\.0/0\\),private,,,,"remediated for the audit test, with a comma"$`,
      ),
    );
    expect(rows.slice(2)).toEqual(['']);
  });

  test('--limit says when the limit was reached', async () => {
    // Act
    const run = await runInProcess(['audit', '--cluster', a, '--limit', '1']);
    // Assess
    expect(lines(run.stdout).at(-1)).toMatch(
      /^1 record since \S+ \(limit reached: use --limit or --since\)$/,
    );
  });

  test('no matching record: one line naming the filters', async () => {
    // Prepare
    const nothing = world.name('aud-none');
    // Act
    const run = await runInProcess(['audit', '--cluster', nothing, '--outcome', 'blocked', '--since', '2h']);
    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      new RegExp(`^no audit records since \\S+Z for cluster ${nothing}, outcome blocked\\n$`),
    );
  });

  test('a failed AWS call names the call and the resource in one line', async () => {
    // Act
    const run = await withEnv({ AUDIT_TABLE_NAME: 'cip-no-such-table' }, () => runInProcess(['audit']));
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^eks-endpoint-guard: the audit table cip-no-such-table does not exist in us-east-1: is the guard deployed there\? [^\n]*\n$/,
    );
  });
});

describe('local-env', () => {
  const policyParameter = '/eks-endpoint-guard-it/cip/local-env-policy';
  const setUp = (...args: string[]) =>
    withEnv({ POLICY_PARAMETER_NAME: policyParameter }, () => runInProcess(['local-env', ...args]));

  test('creates what is missing, prints export lines, then finds everything on a second run', async () => {
    // Prepare
    const endpoint = world.endpoint;
    const expected = [
      `export POLICY_PARAMETER_NAME=${policyParameter}`,
      `export TOPIC_ARN=arn:aws:sns:${REGION}:${ACCOUNT}:eks-endpoint-guard-alerts`,
      `export RECHECK_QUEUE_URL=${endpoint}/${ACCOUNT}/eks-endpoint-guard-recheck`,
      'export AUDIT_TABLE_NAME=eks-endpoint-guard-audit',
      'export DIGEST_BUCKET_NAME=eks-endpoint-guard-digests',
    ];
    const hint = `# the CLI also needs: export AWS_ENDPOINT_URL=${endpoint} AWS_REGION=${REGION} AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing`;
    // Act
    const first = await setUp();
    const second = await setUp();
    // Assess: the output
    expect(first.code).toBe(0);
    expect(lines(first.stdout)).toEqual(expected);
    expect(lines(first.stderr)).toEqual([
      `# ${endpoint}: created policy parameter ${policyParameter}, table eks-endpoint-guard-audit, digest bucket eks-endpoint-guard-digests`,
      hint,
    ]);
    expect(second.stdout).toBe(first.stdout);
    expect(lines(second.stderr)).toEqual([`# ${endpoint}: everything already existed`, hint]);
    // Assess: the policy parameter holds the default policy
    const { Parameter } = await world.clients.ssm.send(new GetParameterCommand({ Name: policyParameter }));
    expect(Parameter?.Value).toBe(DEFAULT_POLICY_TEXT);
  });

  test('--json prints one object with the values and nothing on stderr', async () => {
    // Act
    const run = await setUp('--json');
    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({
      POLICY_PARAMETER_NAME: policyParameter,
      TOPIC_ARN: `arn:aws:sns:${REGION}:${ACCOUNT}:eks-endpoint-guard-alerts`,
      RECHECK_QUEUE_URL: `${world.endpoint}/${ACCOUNT}/eks-endpoint-guard-recheck`,
      AUDIT_TABLE_NAME: 'eks-endpoint-guard-audit',
      DIGEST_BUCKET_NAME: 'eks-endpoint-guard-digests',
    });
  });

  test('--region chooses the region of what it creates, like every other command', async () => {
    // Act: AWS_REGION is named so that withEnv puts it back (--region sets it)
    const run = await withEnv({ POLICY_PARAMETER_NAME: policyParameter, AWS_REGION: REGION }, () =>
      runInProcess(['local-env', '--region', 'eu-west-3', '--json']),
    );
    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({
      TOPIC_ARN: `arn:aws:sns:eu-west-3:${ACCOUNT}:eks-endpoint-guard-alerts`,
    });
  });

  test('a policy parameter name AWS reserves: the failed call in one line, after the others ran', async () => {
    // Act
    const run = await withEnv({ POLICY_PARAMETER_NAME: '/aws/cip-reserved' }, () =>
      runInProcess(['local-env']),
    );
    // Assess
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'eks-endpoint-guard: access denied to ssm:PutParameter (/aws/cip-reserved): No access to reserved parameter name: /aws/cip-reserved.\n',
    });
  });
});

describe('the same program in this process and as a command', () => {
  test.each([
    ['invoke', '--help'],
    ['audit', '--since', 'yesterday'],
  ])('%s %s writes the same text and exits the same way', async (...args) => {
    // Prepare: help is wrapped to the terminal's width, and this process may have a terminal
    const words = (run: { code: number | null; stdout: string; stderr: string }) => ({
      code: run.code,
      stdout: run.stdout.split(/\s+/),
      stderr: run.stderr,
    });
    // Act
    const [inProcess, child] = await Promise.all([runInProcess(args), runCli(args, world.processEnv)]);
    // Assess
    expect(words(inProcess)).toEqual(words(child));
  });
});

describe('demo', () => {
  test('tells the story: each event decided, a sweep, the audit trail, and its emulator stopped', async () => {
    // Prepare: the demo points this process at its own emulator; put everything back afterwards
    const saved = { ...process.env };
    const signalHandlers = process.listenerCount('SIGINT');
    // The report goes to the working directory: a temporary one here.
    const cwd = process.cwd();
    const here = mkdtempSync(join(tmpdir(), 'demo-'));
    let run: InProcessRun;
    // Act
    try {
      process.chdir(here);
      run = await runInProcess(['demo']);
    } finally {
      process.chdir(cwd);
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
    // Assess: the emulator
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const output = run.stdout.split('\n');
    const emulator = /^Emulator: moto_server at (http:\/\/127\.0\.0\.1:\d+) \(ready in [\d.]+ s\)$/.exec(
      output.find((line) => line.startsWith('Emulator: ')) ?? '',
    )?.[1];
    expect(emulator).toBeDefined();
    expect(emulator).not.toBe(world.endpoint);
    await expect(fetch(`${emulator}/moto-api/`)).rejects.toThrow();
    expect(process.listenerCount('SIGINT')).toBe(signalHandlers);
    // Assess: the events and their decisions, in order
    const events = output
      .filter((line) => /^ ?\d{1,2}\. /.test(line))
      .map((line) => line.trim().split('  ')[0]);
    expect(events).toEqual([
      '1. CreateCluster prod-api by user/platform-ci',
      '2. CreateCluster payments by assumed-role/PlatformAdmin/maria.lopez',
      '3. UpdateClusterConfig analytics by assumed-role/DataPlatformDeployer/pipeline-analytics-412',
      '4. CreateCluster legacy-batch by user/batch-admin',
      '5. UpdateClusterConfig prod-api by assumed-role/PlatformAdmin/jdoe',
      '6. UpdateClusterConfig prod-api by the guard',
      '7. UpdateClusterConfig prod-api by assumed-role/PlatformAdmin/jdoe',
      '8. UpdateClusterConfig edge-proxy by assumed-role/PlatformAdmin/jdoe',
      '9. UpdateClusterConfig prod-api by user/platform-ci',
      '10. UpdateClusterConfig prod-api by assumed-role/Developer/sam.okafor (AccessDeniedException)',
    ]);
    const decisions = output.filter((line) => line.startsWith('    → ')).map((line) => line.split(/\s+/)[2]);
    expect(decisions).toEqual([
      'remediated',
      'compliant',
      'remediated',
      'exempt',
      'remediated',
      'compliant',
      // The impostor with the guard's token prefix is reverted, and its repetition escalated.
      'remediated',
      'blocked',
      'compliant',
      'ignored',
    ]);
    // Assess: decisions name the API clients they cut off, from the audit log the demo seeded: the
    // connection address (not a forged X-Forwarded-For), never a refused request or an allowed network
    const story = run.stdout.replace(/\n\s+/g, ' ');
    expect(story).toContain(
      'it cuts off 2 clients seen in the last 24 h: 192.0.2.10 (system:serviceaccount:argocd:argocd-application-controller; 42 requests,',
    );
    expect(story).toContain('192.0.2.200 (ci-deployer; 5 requests,');
    expect(story).toContain('it cuts off 1 client seen in the last 24 h: 198.51.100.30');
    expect(story).not.toMatch(/192\.0\.2\.77|203\.0\.113\.25|203\.0\.113\.99/);
    expect(output).toContain('      │ API clients the change cuts off');
    // Assess: the alerts the team received
    expect(output.filter((line) => line.startsWith('    ✉ '))).toEqual([
      '    ✉ [eks-endpoint-guard] prod-api: public endpoint turned off (was open to 0.0.0.0/0)',
      '    ✉ [eks-endpoint-guard] analytics: public access narrowed to 203.0.113.0/24',
      '    ✉ [eks-endpoint-guard] legacy-batch: non-compliant but exempt (OPS-123 migration)',
      '    ✉ [eks-endpoint-guard] prod-api: public endpoint turned off (was open to 0.0.0.0/0)',
      '    ✉ [eks-endpoint-guard] prod-api keeps being made non-compliant by assumed-role/PlatformAdmin/jdoe',
      '    ✉ [eks-endpoint-guard] edge-proxy: remediation blocked (VPC DNS hostnames off)',
    ]);
    // Assess: the chat and Security Hub forms of the first remediation, from the same facts
    expect(output.filter((line) => line.startsWith('    💬 '))).toEqual([
      '    💬 chat: prod-api: public endpoint turned off (was open to 0.0.0.0/0)',
    ]);
    expect(output.filter((line) => line.startsWith('    🛡 '))).toEqual([
      '    🛡 Security Hub: EKS cluster prod-api: the public endpoint must be off',
      '    🛡 Security Hub: EKS cluster prod-api: the private endpoint must be on',
    ]);
    expect(output).toContain('      │ Compliance:  PASSED');
    expect(output).toContain('      │ RecordState: ARCHIVED');
    expect(output).toContain(
      '      │ Id:          eks-endpoint-guard/123456789012/us-east-1/prod-api/public-disabled',
    );
    // Assess: the sweep and the audit trail
    expect(output).toContain('  5 clusters: 3 compliant, 1 exempt, 1 blocked');
    const trailStart = output.indexOf('The audit trail (audit), newest first');
    const trail = output.slice(trailStart + 3, trailStart + 12).map((line) =>
      line
        .trim()
        .split(/\s{2,}/)
        .slice(1, 3),
    );
    expect(trail).toEqual([
      ['prod-api', 'compliant'],
      ['edge-proxy', 'blocked'],
      ['prod-api', 'remediated'],
      ['prod-api', 'compliant'],
      ['prod-api', 'remediated'],
      ['legacy-batch', 'exempt'],
      ['analytics', 'remediated'],
      ['payments', 'compliant'],
      ['prod-api', 'remediated'],
    ]);
    expect(output).toContain('  9 records; "npm run cli -- audit --csv" writes them for a spreadsheet.');
    // Assess: the trail sealed and the report's records verified against the digest
    expect(output).toContain(
      '  sealed 9 record(s) into s3://eks-endpoint-guard-digests/eks-endpoint-guard/digests/us-east-1/0000000001.json (Object Lock, compliance mode)',
    );
    expect(output).toContain("  the report's records: intact: 9 sealed record(s) match 1 digest(s)");
    // Assess: the last hint, to run after the demo has ended
    const done = output.findIndex((line) =>
      /^Done in [\d.]+ s\. The demo's emulator stops with it; /.test(line),
    );
    expect(output.slice(done + 1, done + 1 + TRY_IT_YOURSELF.length)).toEqual(
      TRY_IT_YOURSELF.map((l) => `  ${l}`),
    );
    // Assess: it ends with the HTML report of what it did, one bar per exposure window
    const reportPath = join(realpathSync(here), 'eks-endpoint-guard-demo-report.html');
    expect(output.slice(-3)).toEqual([
      expect.stringMatching(
        /^The report of what it did \(5 exposure window\(s\), 1 still open; \d+ s exposed in all\), as "report --format html" writes it; open it in a browser:$/,
      ),
      `  ${reportPath}`,
      '',
    ]);
    const html = readFileSync(reportPath, 'utf8');
    expect(html.match(/<rect class="bar[ "]/g)).toHaveLength(5);
    expect(html.match(/<rect class="bar open"/g)).toHaveLength(1);
    rmSync(here, { recursive: true, force: true });
    // The report's own numbers: events stamped with the run's time, in the emulator's account
    expect(html).toContain('123456789012');
    expect(html).not.toMatch(/\b2025-\d\d-\d\d\b/);
  });

  test('its last hint works once it has ended: local-env, check, audit digest and verify, report', async () => {
    // Prepare: the hint's environment, aimed at this file's emulator instead of port 5000
    const exported =
      TRY_IT_YOURSELF.find((line) => line.startsWith('export '))?.slice('export '.length) ?? '';
    const hintEnv = Object.fromEntries(
      exported.split(' ').map((pair) => pair.split('=') as [string, string]),
    );
    expect(Object.keys(hintEnv).sort()).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_ENDPOINT_URL',
      'AWS_REGION',
      'AWS_SECRET_ACCESS_KEY',
    ]);
    const env = {
      ...hintEnv,
      AWS_ENDPOINT_URL: world.endpoint,
      POLICY_PARAMETER_NAME: '/eks-endpoint-guard-it/cip/hint-policy',
    };
    const commands = TRY_IT_YOURSELF.flatMap((line) =>
      line.split(' && ').flatMap((part) => {
        const cli = /npm run (?:--silent )?cli -- ([^)"]+)/.exec(part)?.[1];
        return cli ? [cli.trim().split(' ')] : [];
      }),
    );
    expect(commands.map((c) => c.slice(0, 2).join(' '))).toEqual([
      'local-env',
      'check',
      'audit digest',
      'audit verify',
      'report --since',
    ]);

    // Act: local-env's export lines are what `eval` would set
    const [setUp, ...rest] = commands as [string[], ...string[][]];
    const provisioned = await withEnv(env, () => runInProcess(setUp));
    const evaluated = Object.fromEntries(
      lines(provisioned.stdout).map((line) => line.replace(/^export /, '').split('=') as [string, string]),
    );
    const runs: InProcessRun[] = [];
    for (const args of rest) runs.push(await withEnv({ ...env, ...evaluated }, () => runInProcess(args)));

    // Assess: every command ran (check exits 3 when this shared emulator holds a non-compliant cluster)
    expect(provisioned.code).toBe(0);
    expect(Object.keys(evaluated)).toContain('DIGEST_BUCKET_NAME');
    expect(runs.map((r) => r.stderr)).toEqual(['', '', '', '']);
    expect([0, 3]).toContain(runs[0]?.code);
    expect(runs.slice(1).map((r) => r.code)).toEqual([0, 0, 0]);
    expect(runs[2]?.stdout).toMatch(/^intact: /);
  });
});
