import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { createCluster } from '../../functions/cli/sandbox';
import { runInProcess, withEnv } from '../unit/cli/in-process';
import { auditCount, createWorld, endpointOf, queueDepth, REGION, type World } from './support';

jest.setTimeout(60_000);

/**
 * The policy commands that talk to AWS (what-if, publish, show) and check's exit codes, in this
 * process against the shared emulator. Other files' clusters share the region: assertions look at
 * this file's clusters only.
 */
const LIVE = { version: 1, mode: 'enforce', publicAccess: 'disabled', privateAccess: 'required' };

let world: World;
let dir: string;
const names = { private: '', open: '', dev: '' };

/** What report-only commands are given: no topic, queue or table. */
const REPORT_ONLY = { TOPIC_ARN: undefined, RECHECK_QUEUE_URL: undefined, AUDIT_TABLE_NAME: undefined };

beforeAll(async () => {
  world = await createWorld('cpol', LIVE);
  dir = mkdtempSync(join(tmpdir(), 'cli-policy-'));
  names.private = world.name('private');
  names.open = world.name('open');
  names.dev = world.name('dev-api');
  await Promise.all([
    createCluster(world.clients.eks, {
      name: names.private,
      vpc: world.vpcs.withDns,
      endpoint: { publicAccess: false, privateAccess: true },
    }),
    createCluster(world.clients.eks, { name: names.open, vpc: world.vpcs.withDns }),
    createCluster(world.clients.eks, {
      name: names.dev,
      vpc: world.vpcs.withDns,
      endpoint: { publicAccess: true, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
    }),
  ]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, policy: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof policy === 'string' ? policy : JSON.stringify(policy, null, 2));
  return path;
}

async function parameter(): Promise<{ version: number; value: string }> {
  const { Parameter } = await world.clients.ssm.send(
    new GetParameterCommand({ Name: world.env.POLICY_PARAMETER_NAME }),
  );
  return { version: Parameter?.Version ?? 0, value: Parameter?.Value ?? '' };
}

/** A policy that lets this file's dev cluster keep its public endpoint, and relaxes private access. */
const CANDIDATE = {
  version: 1,
  publicAccess: 'disabled',
  privateAccess: 'optional',
  overrides: [{ clusters: [`${'cpol'}-dev-*`], publicAccess: 'allowed' }],
};

describe('check exit codes', () => {
  it.each([
    ['a compliant cluster', 0, () => [names.private], []],
    ['a non-compliant cluster, report-only', 3, () => [names.open], []],
    ['a non-compliant cluster with --exit-zero', 0, () => [names.open], ['--exit-zero']],
    ['a cluster that does not exist (ignored)', 0, () => [world.name('gone')], []],
  ])('%s: exit %d without topic, queue or table', async (_, code, clusters, extra) => {
    // Act
    const run = await withEnv(REPORT_ONLY, () =>
      runInProcess(['check', '--json', ...extra, '--cluster', ...clusters()]),
    );

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(code);
    expect(JSON.parse(run.stdout)).toHaveLength(1);
  });

  it('a decision that failed (invalid live policy) exits 3', async () => {
    // Prepare
    await world.setPolicy('{"version": 1, "publicAccess": "sometimes"}');

    // Act
    const run = await withEnv(REPORT_ONLY, () =>
      runInProcess(['check', '--cluster', names.private, '--json']),
    );

    // Assess
    await world.setPolicy(LIVE);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject([{ cluster: '-', outcome: 'failed' }]);
  });
});

describe('policy what-if', () => {
  it('prints only the clusters decided differently, and changes nothing', async () => {
    // Prepare
    const before = await parameter();
    const records = await auditCount(world);
    const path = file('candidate.json', CANDIDATE);

    // Act
    const run = await withEnv(REPORT_ONLY, () => runInProcess(['policy', 'what-if', path, '--json']));

    // Assess: the report
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(run.stdout) as {
      changes: { cluster: string; region: string; now: unknown; candidate: unknown }[];
      clusters: number;
    };
    expect(report.clusters).toBeGreaterThanOrEqual(3);
    const mine = report.changes.filter((c) => Object.values(names).includes(c.cluster));
    // The open cluster is reverted the same way under both (public off, private on): not listed.
    expect(mine).toEqual([
      {
        cluster: names.dev,
        region: REGION,
        now: { outcome: 'would-remediate', reason: expect.stringContaining('public endpoint is enabled') },
        candidate: { outcome: 'compliant', reason: expect.any(String) },
      },
    ]);
    // Assess: nothing changed
    expect(await parameter()).toEqual(before);
    expect(await endpointOf(world, names.open)).toMatchObject({ publicAccess: true, privateAccess: false });
    expect(await endpointOf(world, names.dev)).toMatchObject({ publicAccess: true, privateAccess: true });
    expect(await auditCount(world)).toBe(records);
    expect(await queueDepth(world)).toBe(0);
    expect(await world.inbox.drain()).toEqual([]);
  });

  it('the table: outcome now → with the candidate, and the change the guard would make', async () => {
    // Prepare
    const path = file('strict-cidrs.json', {
      version: 1,
      publicAccess: 'restricted',
      allowedPublicCidrs: ['203.0.113.0/24'],
    });

    // Act
    const run = await withEnv(REPORT_ONLY, () => runInProcess(['policy', 'what-if', path]));

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CLUSTER\s+NOW → CANDIDATE\s+THE GUARD WOULD SET\s+WOULD CUT OFF\s+REASON$/);
    const row = (cluster: string) => lines.find((l) => l.startsWith(`${cluster} `));
    expect(row(names.private)).toBeUndefined();
    expect(row(names.dev)).toMatch(
      /would-remediate → would-remediate\s+public \(0\.0\.0\.0\/0\) \+ private → public \(203\.0\.113\.0\/24\) \+ private\s+unknown \(the cluster's control-plane audit log is off/,
    );
    expect(lines.at(-1)).toMatch(/^\d+ of \d+ clusters would be decided differently; nothing was changed$/);
  });

  it('a missing live parameter: every cluster is failed now', async () => {
    // Prepare
    const path = file('same.json', LIVE);

    // Act
    const run = await withEnv(
      { ...REPORT_ONLY, POLICY_PARAMETER_NAME: '/eks-endpoint-guard-it/cpol/none' },
      () => runInProcess(['policy', 'what-if', path, '--json']),
    );

    // Assess
    expect(run.code).toBe(0);
    const change = JSON.parse(run.stdout).changes.find(
      (c: { cluster: string }) => c.cluster === names.private,
    );
    expect(change).toMatchObject({
      now: {
        outcome: 'failed',
        reason: 'policy /eks-endpoint-guard-it/cpol/none: the parameter does not exist; nothing changed',
      },
      candidate: { outcome: 'compliant' },
    });
  });
});

describe('policy publish and show', () => {
  const terminal = (answer: string) => Object.assign(Readable.from([`${answer}\n`]), { isTTY: true });

  afterEach(async () => {
    await world.setPolicy(LIVE);
  });

  it('without a terminal and without --yes refuses and writes nothing', async () => {
    // Prepare
    const before = await parameter();
    const path = file('publish-refused.json', CANDIDATE);

    // Act
    const run = await withEnv(REPORT_ONLY, () => runInProcess(['policy', 'publish', path]));

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'eks-endpoint-guard: standard input is not a terminal, so nobody can confirm: add --yes to publish anyway\n',
    );
    expect(run.stdout).toMatch(
      /^What-if: .* against \/eks-endpoint-guard-it\/cpol\/policy \(version \d+\)\n/,
    );
    expect(await parameter()).toEqual(before);
  });

  it('on a terminal, "n" publishes nothing and "y" publishes', async () => {
    // Prepare
    const before = await parameter();
    const path = file('publish-asked.json', CANDIDATE);

    // Act
    const declined = await withEnv(REPORT_ONLY, () =>
      runInProcess(['policy', 'publish', path], { stdin: terminal('n') }),
    );
    const afterDecline = await parameter();
    const accepted = await withEnv(REPORT_ONLY, () =>
      runInProcess(['policy', 'publish', path], { stdin: terminal('y') }),
    );

    // Assess
    expect(declined).toMatchObject({
      code: 0,
      stderr: `Publish ${path} to ${world.env.POLICY_PARAMETER_NAME}? [y/N] `,
    });
    expect(declined.stdout.trimEnd().split('\n').at(-1)).toBe('not published');
    expect(afterDecline).toEqual(before);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout.trimEnd().split('\n').at(-1)).toBe(
      `published ${world.env.POLICY_PARAMETER_NAME}: version ${before.version + 1}`,
    );
    expect(await parameter()).toEqual({
      version: before.version + 1,
      value: JSON.stringify(CANDIDATE, null, 2),
    });
  });

  it('--yes publishes; the same text again is not written twice', async () => {
    // Prepare
    const before = await parameter();
    const path = file('publish-yes.json', CANDIDATE);

    // Act
    const first = await withEnv(REPORT_ONLY, () => runInProcess(['policy', 'publish', path, '--yes']));
    const second = await withEnv(REPORT_ONLY, () => runInProcess(['policy', 'publish', path, '--yes']));

    // Assess
    expect(first.code).toBe(0);
    expect(second).toEqual({
      code: 0,
      stdout: `${world.env.POLICY_PARAMETER_NAME} already holds this policy (version ${before.version + 1}): nothing published\n`,
      stderr: '',
    });
    expect((await parameter()).version).toBe(before.version + 1);
  });

  it('show: version, last change, the rules in words and the policy', async () => {
    // Prepare
    const { version } = await parameter();

    // Act
    const table = await withEnv(REPORT_ONLY, () => runInProcess(['policy', 'show']));
    const json = await withEnv(REPORT_ONLY, () => runInProcess(['policy', 'show', '--json']));

    // Assess
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^${world.env.POLICY_PARAMETER_NAME}: version ${version}, last changed \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d`,
      ),
    );
    expect(lines).toContain('  Every cluster: public endpoint disabled, private endpoint required.');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      parameter: world.env.POLICY_PARAMETER_NAME,
      version,
      tier: 'Standard',
      valid: true,
      policy: LIVE,
      words: expect.arrayContaining([
        'Mode enforce: a non-compliant cluster is put back into compliance and alerted.',
      ]),
    });
  });

  it('show of an invalid live policy prints it with its errors and exits 1', async () => {
    // Prepare
    await world.setPolicy('{"version": 1, "publicAccess": "sometimes"}');

    // Act
    const run = await withEnv(REPORT_ONLY, () => runInProcess(['policy', 'show']));

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `${world.env.POLICY_PARAMETER_NAME}:1:32: error: publicAccess: expected "disabled" | "restricted" | "allowed", got "sometimes" [schema]`,
    );
  });

  it('show of a parameter that does not exist says how to create it', async () => {
    // Act
    const run = await withEnv({ POLICY_PARAMETER_NAME: '/eks-endpoint-guard-it/cpol/none' }, () =>
      runInProcess(['policy', 'show']),
    );

    // Assess
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'eks-endpoint-guard: /eks-endpoint-guard-it/cpol/none does not exist: publish one with "policy publish FILE"\n',
    });
  });
});
