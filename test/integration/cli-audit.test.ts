import { auditStore } from '../../functions/aws/audit-store';
import type { Outcome } from '../../functions/core/outcome';
import type { CheckResult } from '../../functions/core/result';
import { auditRecordFixture, createWorld, REGION, runCli, type World } from './support';

// Each CLI run is a fresh Node process; several run at once on a small machine.
jest.setTimeout(30_000);

/** `audit` as a person runs it, over records written through the real audit store adapter. */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let world: World;
let now: number;
let ids: Record<string, string>;

const record = (id: string, cluster: string, outcome: Outcome, age: number) =>
  auditRecordFixture(id, cluster, outcome, age, now);

beforeAll(async () => {
  world = await createWorld('aud', { version: 1, publicAccess: 'disabled' });
  now = Date.now();
  const a = world.name('a');
  const b = world.name('b');
  const records = [
    record('r1-10m', a, 'remediated', 10 * MINUTE),
    record('r2-2h', a, 'blocked', 2 * HOUR),
    record('r3-3h', b, 'remediated', 3 * HOUR),
    record('r4-3d', a, 'exempt', 3 * DAY),
    record('r5-10d', b, 'failed', 10 * DAY),
    {
      ...record('r6-5h', world.name('c'), 'compliant', 5 * HOUR),
      trigger: {
        source: 'event' as const,
        eventName: 'UpdateClusterConfig',
        eventTime: new Date(now - 5 * HOUR - MINUTE).toISOString(),
        actorArn: '=HYPERLINK("http://evil.example","x")',
        sourceIp: '@203.0.113.9',
        userAgent: '+cmd|calc',
      },
      reason: '-2+3 and a comma, too',
    },
  ];
  ids = Object.fromEntries(records.map((r) => [r.correlationId.split('-')[0] ?? '', r.correlationId]));
  const store = auditStore(world.clients.dynamodb, world.env.AUDIT_TABLE_NAME, REGION, 0);
  await Promise.all(records.map((r) => store.write(r)));
});

async function audit(...args: string[]): Promise<string[]> {
  const run = await runCli(['audit', '--json', ...args], world.processEnv);
  if (run.code !== 0) throw new Error(`audit ${args.join(' ')} failed: ${run.stderr}`);
  return (JSON.parse(run.stdout) as CheckResult[]).map((r) => r.correlationId);
}

describe('audit through the CLI', () => {
  test('filters by cluster, age and outcome, newest first', async () => {
    // Prepare
    const since = new Date(now - 150 * MINUTE).toISOString();
    const a = world.name('a');
    // Act
    const [all, recent, cluster, outcome, both, month, iso, limited] = await Promise.all([
      audit(),
      audit('--since', '4h'),
      audit('--cluster', a),
      audit('--outcome', 'remediated', '--since', '30d'),
      audit('--cluster', a, '--outcome', 'blocked'),
      audit('--since', '30d'),
      audit('--since', since),
      audit('--limit', '2'),
    ]);
    // Assess
    expect(all).toEqual([ids.r1, ids.r2, ids.r3, ids.r6, ids.r4]);
    expect(recent).toEqual([ids.r1, ids.r2, ids.r3]);
    expect(cluster).toEqual([ids.r1, ids.r2, ids.r4]);
    expect(outcome).toEqual([ids.r1, ids.r3]);
    expect(both).toEqual([ids.r2]);
    expect(month).toEqual([ids.r1, ids.r2, ids.r3, ids.r6, ids.r4, ids.r5]);
    expect(iso).toEqual([ids.r1, ids.r2]);
    expect(limited).toEqual([ids.r1, ids.r2]);
  });

  test('--until, --actor, --changes-only, a repeated --outcome and a --cluster glob', async () => {
    // Prepare
    const until = new Date(now - HOUR).toISOString();
    // Act
    const [before, actor, changes, outcomes, glob, nobody] = await Promise.all([
      audit('--since', '30d', '--until', until),
      audit('--since', '30d', '--actor', 'HYPERLINK'),
      audit('--since', '30d', '--changes-only'),
      audit('--since', '30d', '--outcome', 'blocked', '--outcome', 'failed'),
      audit('--since', '30d', '--cluster', `${world.suffix}-[ab]`.replace('[ab]', '?')),
      audit('--since', '30d', '--actor', 'nobody-at-all'),
    ]);
    // Assess
    expect(before).toEqual([ids.r2, ids.r3, ids.r6, ids.r4, ids.r5]);
    expect(actor).toEqual([ids.r6]);
    expect(changes).toEqual([ids.r1, ids.r2, ids.r3, ids.r4, ids.r5]);
    expect(outcomes).toEqual([ids.r2, ids.r5]);
    expect(glob).toEqual([ids.r1, ids.r2, ids.r3, ids.r6, ids.r4, ids.r5]);
    expect(nobody).toEqual([]);
  });

  test('--csv prints a header and one row per record, spreadsheet formulas neutralised', async () => {
    // Act
    const run = await runCli(['audit', '--csv', '--since', '6h'], world.processEnv);
    // Assess
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\r\n');
    expect(lines[0]).toBe(
      'time,cluster,region,account,outcome,trigger,eventId,eventTime,actor,actorSource,sourceIp,userAgent,correlationId,policyVersion,policyDigest,before,after,updateId,updateStatus,finalStatus,reason',
    );
    expect(lines).toHaveLength(6);
    expect(lines.at(-1)).toBe('');
    expect(lines[1]).toMatch(
      new RegExp(
        `^\\S+,${world.name('a')},us-east-1,123456789012,remediated,UpdateClusterConfig,,,arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe,event,,,${ids.r1},,,public \\(0\\.0\\.0\\.0/0\\),private,,,,"remediated for the audit test, with a comma"$`,
      ),
    );
    const hostile = lines.find((line) => line.includes(ids.r6 ?? '-')) ?? '';
    expect(hostile).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")",event,'@203.0.113.9,'+cmd|calc,`);
    expect(hostile).toMatch(/,"'-2\+3 and a comma, too"$/);
    expect(hostile).not.toMatch(/(^|,)[=+\-@]/);
  });

  test('the table shows time, cluster, outcome, trigger, change and reason', async () => {
    // Act
    const run = await runCli(['audit', '--cluster', world.name('b'), '--since', '30d'], world.processEnv);
    // Assess
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+CLUSTER\s+OUTCOME\s+TRIGGER\s+CHANGE\s+REASON$/);
    expect(lines[1]).toContain(
      'remediated  UpdateClusterConfig by assumed-role/PlatformAdmin/jdoe  public (0.0.0.0/0) → private',
    );
    expect(lines[2]).toContain(' failed ');
    expect(lines.at(-1)).toMatch(/^2 records since /);
  });
});
