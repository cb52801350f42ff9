import { runInProcess, withEnv } from './in-process';

const GUARD_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  POLICY_PARAMETER_NAME: '/eks-endpoint-guard-unit/policy',
  TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:t',
  RECHECK_QUEUE_URL: 'http://127.0.0.1:9/123456789012/q',
  AUDIT_TABLE_NAME: 'guard-audit-unit',
  // The account is named, so the credentials are not asked which it is.
  GUARD_ROLE_ARN: 'arn:aws:iam::123456789012:role/eks-endpoint-guard-us-east-1',
};

describe('invoke', () => {
  it('names the event and the cluster it was deciding on when AWS fails it', async () => {
    // Act: AWS is a closed port
    const run = await withEnv(GUARD_ENV, () =>
      runInProcess(['invoke', 'events/update-config-open-world.json', '--dry-run']),
    );

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'eks-endpoint-guard: events/update-config-open-world.json: deciding on cluster prod-api: DescribeCluster on prod-api failed: nothing answers at http://127.0.0.1:9 (connection refused): is the emulator running there? (AWS_ENDPOINT_URL)\n',
    );
  });

  it('reads the input before the configuration: an unreadable event is refused even without one', async () => {
    // Act
    const run = await withEnv({ TOPIC_ARN: undefined, AWS_REGION: undefined }, () =>
      runInProcess(['invoke', '-'], { stdin: '[1, 2]' }),
    );

    // Assess
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'eks-endpoint-guard: standard input: not an event the guard can read, nothing was done: expected an event object, got an array\n',
    });
  });
});
