import { ConfigError, loadConfig } from '../../../functions/wiring/config';
import { TEST_ENV } from '../support/aws';

describe('loadConfig', () => {
  it('reads the DESIGN §5 names and fills in defaults', () => {
    // Act
    const config = loadConfig({ ...TEST_ENV });

    // Assess
    expect(config).toMatchObject({
      ...TEST_ENV,
      POLICY_CACHE_SECONDS: 60,
      RECHECK_DEADLINE_MINUTES: 120,
      FLIP_FLOP_THRESHOLD: 3,
      FLIP_FLOP_WINDOW_MINUTES: 60,
      AUDIT_RETENTION_DAYS: 0,
      SWEEP_CONCURRENCY: 8,
      CLIENTS_STRATEGY: 'insights',
      CLIENTS_WINDOW_HOURS: 24,
      CLIENTS_MAX_SCAN_MB: 1024,
      CLIENTS_DEADLINE_SECONDS: 20,
      CLIENTS_CACHE_MINUTES: 60,
    });
  });

  it('refuses an unknown client look-up strategy in one line', () => {
    // Act
    const load = () => loadConfig({ ...TEST_ENV, CLIENTS_STRATEGY: 'guess' });

    // Assess
    expect(load).toThrow('environment variable CLIENTS_STRATEGY is invalid (expected insights, scan or off)');
  });

  it('defaults the policy parameter name', () => {
    // Prepare
    const { POLICY_PARAMETER_NAME: _omitted, ...env } = TEST_ENV;

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.POLICY_PARAMETER_NAME).toBe('/eks-endpoint-guard/policy');
  });

  it('names a missing variable in one line', () => {
    // Prepare
    const { TOPIC_ARN: _omitted, ...env } = TEST_ENV;

    // Act
    const load = () => loadConfig(env);

    // Assess
    expect(load).toThrow(ConfigError);
    expect(load).toThrow('environment variable TOPIC_ARN is not set');
  });

  it('names an invalid value and why', () => {
    // Act
    const load = () => loadConfig({ ...TEST_ENV, RECHECK_QUEUE_URL: 'not a url' });

    // Assess
    expect(load).toThrow(/^environment variable RECHECK_QUEUE_URL is invalid \(.+\)$/);
  });

  it('rejects an out-of-range number', () => {
    // Act
    const load = () => loadConfig({ ...TEST_ENV, SWEEP_CONCURRENCY: '0' });

    // Assess
    expect(load).toThrow(/SWEEP_CONCURRENCY is invalid/);
  });
});

describe('the guard role settings', () => {
  it.each([
    [
      'GUARD_ROLE_ID',
      'not-a-role-id',
      'environment variable GUARD_ROLE_ID is invalid (expected a role id such as AROAEXAMPLE123)',
    ],
    [
      'GUARD_ROLE_ARN',
      'arn:aws:iam::111122223333:user/x',
      'environment variable GUARD_ROLE_ARN is invalid (expected an IAM role ARN)',
    ],
  ])('rejects a malformed %s', (name, value, message) => {
    // Act
    const load = () => loadConfig({ ...TEST_ENV, [name]: value });

    // Assess
    expect(load).toThrow(message);
  });

  it('leaves GUARD_ROLE_ID unset when not given: no queued message is then trusted', () => {
    // Prepare
    const { GUARD_ROLE_ID: _omitted, ...env } = TEST_ENV;

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config.GUARD_ROLE_ID).toBeUndefined();
  });
});

describe('loadConfig: the alert channels', () => {
  it('has no chat topic and Security Hub off unless set', () => {
    // Act
    const config = loadConfig({ ...TEST_ENV });

    // Assess
    expect(config.CHAT_TOPIC_ARN).toBeUndefined();
    expect(config.SECURITY_HUB).toBe(false);
  });

  it('reads a chat topic and SECURITY_HUB=true', () => {
    // Act
    const config = loadConfig({
      ...TEST_ENV,
      CHAT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:chat',
      SECURITY_HUB: 'true',
    });

    // Assess
    expect(config).toMatchObject({
      CHAT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:chat',
      SECURITY_HUB: true,
    });
  });

  it.each([
    [{ SECURITY_HUB: 'yes' }, 'environment variable SECURITY_HUB is invalid (expected true or false)'],
    [
      { CHAT_TOPIC_ARN: 'chat' },
      'environment variable CHAT_TOPIC_ARN is invalid (expected an SNS topic ARN)',
    ],
  ])('refuses %j', (env, message) => {
    // Act
    const load = () => loadConfig({ ...TEST_ENV, ...env });

    // Assess
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });
});
