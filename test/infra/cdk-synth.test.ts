import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * `npx cdk synth` as a person runs it, offline (no credentials, no notices), with cdk.json's one
 * app, for the three ways of deploying the guard: one account, many regions of one account, every
 * account of an organisation (with its central account, so the member is in organisation mode).
 */
const ROOT = path.join(__dirname, '..', '..');
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'guard-cdk-synth-'));
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

function run(name: string, args: string[]) {
  const out = path.join(outdir, name);
  const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-o', out, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // No credentials and no instance metadata: nothing can reach AWS.
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
    },
    timeout: 240_000,
  });
  return { ...result, out };
}

function synth(name: string, args: string[]): string[] {
  const { status, stderr, out } = run(name, args);
  if (status !== 0) throw new Error(`cdk synth ${name} failed: ${stderr.slice(-2000)}`);
  return readdirSync(out)
    .filter((f) => f.endsWith('.template.json'))
    .sort();
}

test('single account', () => {
  // Act / Assess
  expect(synth('single', [])).toEqual(['EksEndpointGuard.template.json']);
}, 240_000);

test('many regions of one account', () => {
  // Act / Assess
  expect(synth('regions', ['-c', 'regions=us-east-1,eu-west-1'])).toEqual([
    'EksEndpointGuard-eu-west-1.template.json',
    'EksEndpointGuard-us-east-1.template.json',
  ]);
}, 240_000);

test('every account of an organisation, with the central account', () => {
  // Act
  const templates = synth('org', [
    '-c',
    'organizationId=o-a1b2c3d4e5',
    '-c',
    'organizationalUnits=ou-ab12-cdef3456',
    '-c',
    'regions=us-east-1',
    '-c',
    'centralAccount=222233334444',
    '-c',
    'managementAccountId=111111111111',
  ]);
  // Assess
  expect(templates).toEqual([
    'EksEndpointGuardAssets-us-east-1.template.json',
    'EksEndpointGuardCentral.template.json',
    'EksEndpointGuardCode-us-east-1.template.json',
    'EksEndpointGuardStackSet.template.json',
  ]);
  expect(readdirSync(path.join(outdir, 'org', 'stackset-member'))).toContain('Member.template.json');
}, 240_000);

test('a context key the app does not know stops synthesis with one line naming the known ones', () => {
  // Act: "region" for "regions", a typo that would otherwise make one stack in the default region
  const { status, stderr } = run('typo', ['-c', 'region=eu-west-1']);

  // Assess
  expect(status).not.toBe(0);
  expect(stderr).toMatch(
    /^unknown context key region: the app knows policyFile, .*, regions, organizationId, .*$/m,
  );
}, 240_000);
