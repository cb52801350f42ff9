import 'aws-sdk-client-mock-jest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeClusterCommand, UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { givenCluster, loadEvent, mocks, resetAws, TEST_ENV } from '../support/aws';
import { runInProcess, withEnv } from './in-process';

/**
 * Issue 19, finding 7: without GUARD_ROLE_ARN the CLI checked no account, so `invoke` with an event
 * from another account changed this account's same-named cluster. The account now comes from the
 * credentials (STS GetCallerIdentity, asked once), faked here at the SDK boundary.
 */
const sts = mockClient(STSClient);
const OTHER = '999988887777';
let folder: string;

/** The environment of a CLI run with no GUARD_ROLE_ARN: credentials of account 111122223333. */
const ENV = { ...TEST_ENV, GUARD_ROLE_ARN: undefined, GUARD_ROLE_ID: undefined };

function eventFile(account: string): string {
  // The sample events carry the emulator's account: the test names its own.
  const event = JSON.stringify(loadEvent('update-config-open-world.json')).replaceAll(
    '123456789012',
    account,
  );
  const file = join(folder, `event-${account}.json`);
  writeFileSync(file, event);
  return file;
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'guard-invoke-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));
beforeEach(() => {
  resetAws();
  sts.reset();
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/ops' });
  givenCluster({ name: 'prod-api', publicAccess: true, privateAccess: false, cidrs: ['0.0.0.0/0'] });
});

describe('invoke without GUARD_ROLE_ARN', () => {
  it("ignores an event from another account, naming the credentials' account, and touches no cluster", async () => {
    // Act
    const run = await withEnv(ENV, () => runInProcess(['invoke', '--json', eventFile(OTHER)]));

    // Assess
    expect(run.code).toBe(0);
    const [result] = JSON.parse(run.stdout) as { outcome: string; reason: string }[];
    expect(result).toMatchObject({
      outcome: 'ignored',
      reason: `the event is from account ${OTHER}; this guard runs in 111122223333 (deploy it in each account)`,
    });
    expect(mocks.eks).not.toHaveReceivedCommand(DescribeClusterCommand);
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
  });

  it("acts on an event of the credentials' own account, asking STS once", async () => {
    // Act
    const run = await withEnv(ENV, () => runInProcess(['invoke', '--json', eventFile('111122223333')]));

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)[0]).toMatchObject({ outcome: 'remediated' });
    expect(sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
  });

  it('asks STS nothing when GUARD_ROLE_ARN names the account', async () => {
    // Act
    const run = await withEnv(TEST_ENV, () => runInProcess(['invoke', '--json', eventFile(OTHER)]));

    // Assess
    expect(JSON.parse(run.stdout)[0]).toMatchObject({ outcome: 'ignored' });
    expect(sts).not.toHaveReceivedCommand(GetCallerIdentityCommand);
  });
});
