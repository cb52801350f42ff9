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
