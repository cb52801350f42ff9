import 'aws-sdk-client-mock-jest';
import { GetParameterCommand, GetParameterHistoryCommand } from '@aws-sdk/client-ssm';
import { givenPolicy, mocks, resetAws, STRICT_POLICY, testPorts } from '../support/aws';

beforeEach(() => resetAws());

const entry = (version: number) => ({
  Name: '/eks-endpoint-guard/policy',
  Version: version,
  Value: `{"v":${version}}`,
  LastModifiedDate: new Date(Date.UTC(2026, 5, version)),
  LastModifiedUser: 'arn:aws:iam::111122223333:user/admin',
});

describe('policy store: history', () => {
  it('reads every page (SSM lists oldest first) and returns the newest first, without decryption', async () => {
    // Prepare
    mocks.ssm
      .on(GetParameterHistoryCommand, { NextToken: undefined })
      .resolves({ Parameters: [entry(1), entry(2)], NextToken: 'p2' })
      .on(GetParameterHistoryCommand, { NextToken: 'p2' })
      .resolves({ Parameters: [entry(3)] });

    // Act
    const history = await testPorts().policy.history(2);

    // Assess
    expect(history).toEqual([
      {
        version: 3,
        value: '{"v":3}',
        modifiedAt: '2026-06-03T00:00:00.000Z',
        modifiedBy: 'arn:aws:iam::111122223333:user/admin',
      },
      expect.objectContaining({ version: 2 }),
    ]);
    expect(mocks.ssm).toHaveReceivedCommandWith(GetParameterHistoryCommand, {
      Name: '/eks-endpoint-guard/policy',
      WithDecryption: false,
    });
  });

  it('is empty for a parameter that does not exist', async () => {
    // Prepare
    mocks.ssm
      .on(GetParameterHistoryCommand)
      .rejects(Object.assign(new Error('gone'), { name: 'ParameterNotFound' }));

    // Act
    const history = await testPorts().policy.history(2);

    // Assess
    expect(history).toEqual([]);
  });

  it('lets other faults through, to be retried', async () => {
    // Prepare
    mocks.ssm
      .on(GetParameterHistoryCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));

    // Act
    const read = testPorts().policy.history(2);

    // Assess
    await expect(read).rejects.toThrow('slow down');
  });
});

describe('policy store: the parameter version', () => {
  it('carries the SSM parameter version the text was read from, not the schema version', async () => {
    // Prepare
    givenPolicy(STRICT_POLICY, 7);

    // Act
    const loaded = await testPorts().policy.load();

    // Assess
    expect(loaded.parameterVersion).toBe(7);
    expect(loaded.policy.version).toBe(1);
  });

  it('notices a new version with the same text once the cache has expired', async () => {
    // Prepare
    let now = 0;
    const { policyStore } = await import('../../../functions/aws/policy-store');
    const { SSMClient } = await import('@aws-sdk/client-ssm');
    const store = policyStore(
      new SSMClient({ region: 'us-east-1' }),
      '/eks-endpoint-guard/policy',
      60,
      () => now,
    );
    givenPolicy(STRICT_POLICY, 4);
    const first = await store.load();
    givenPolicy(STRICT_POLICY, 5);

    // Act
    now = 30_000;
    const cached = await store.load();
    now = 61_000;
    const fresh = await store.load();

    // Assess
    expect([first.parameterVersion, cached.parameterVersion, fresh.parameterVersion]).toEqual([4, 4, 5]);
    expect(fresh.digest).toBe(first.digest);
  });
});

describe('policy store: invalidate', () => {
  it('reads the parameter again on the next load, inside the cache time', async () => {
    // Prepare
    const { policy } = testPorts();
    await policy.load();
    givenPolicy({ ...STRICT_POLICY, mode: 'notify' });

    // Act
    const cached = await policy.load();
    policy.invalidate();
    const fresh = await policy.load();

    // Assess
    expect(cached.policy.mode).toBe('enforce');
    expect(fresh.policy.mode).toBe('notify');
    expect(mocks.ssm).toHaveReceivedCommandTimes(GetParameterCommand, 2);
  });
});
