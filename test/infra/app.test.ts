import { App } from 'aws-cdk-lib';
import { propsFromContext } from '../../infra/app';
import { GuardConfigError } from '../../infra/stack';

/** Context as `cdk synth -c key=value` passes it: every value a string. */
const read = (context: Record<string, unknown>) => propsFromContext(new App({ context }).node);

describe('context to stack props', () => {
  test('no context gives the stack defaults', () => {
    // Prepare
    const context = {};
    // Act
    const props = read(context);
    // Assess
    expect(props).toEqual({
      policyFile: undefined,
      policyParameter: undefined,
      notificationEmails: [],
      sweepSchedule: undefined,
      logRetentionDays: undefined,
      createTrail: undefined,
      reservedConcurrency: undefined,
      auditRetentionDays: undefined,
      recheckDeadlineMinutes: undefined,
    });
  });

  test('command-line strings become typed values', () => {
    // Prepare
    const context = {
      policyFile: 'docs/examples/strict.json',
      policyParameter: '/platform/eks-policy',
      sweepSchedule: 'rate(30 minutes)',
      logRetentionDays: '90',
      createTrail: 'true',
      reservedConcurrency: '3',
      auditRetentionDays: '0',
      recheckDeadlineMinutes: '60',
    };
    // Act
    const props = read(context);
    // Assess
    expect(props).toMatchObject({
      policyFile: 'docs/examples/strict.json',
      policyParameter: '/platform/eks-policy',
      sweepSchedule: 'rate(30 minutes)',
      logRetentionDays: 90,
      createTrail: true,
      reservedConcurrency: 3,
      auditRetentionDays: 0,
      recheckDeadlineMinutes: 60,
    });
  });

  test.each<[string, unknown]>([
    ['a JSON string from -c', '{"strategy":"scan","windowHours":12}'],
    ['an object from cdk.json', { strategy: 'scan', windowHours: 12 }],
  ])('activeClients as %s', (_, value) => {
    // Act
    const props = read({ activeClients: value });
    // Assess
    expect(props.activeClients).toEqual({ strategy: 'scan', windowHours: 12 });
  });

  test.each([
    ['{"strategy":', 'context activeClients: not a valid JSON object'],
    ['["scan"]', 'context activeClients: expected a JSON object'],
  ])('activeClients %s is refused in one line', (value, message) => {
    // Act
    const make = () => read({ activeClients: value });
    // Assess
    expect(make).toThrow(message);
  });

  test.each([
    ['a comma-separated string', ' ops@example.com, security@example.com ,ops@example.com'],
    ['a JSON array string', '["ops@example.com", "security@example.com"]'],
    ['an array from cdk.json', ['ops@example.com', 'security@example.com']],
  ])('notificationEmails as %s', (_, value) => {
    // Prepare
    const context = { notificationEmails: value };
    // Act
    const props = read(context);
    // Assess
    expect(props.notificationEmails).toEqual(['ops@example.com', 'security@example.com']);
  });

  test.each([
    [
      { notificationEmails: 'ops@example.com,not-an-address' },
      'context notificationEmails: "not-an-address" is not an e-mail address',
    ],
    [{ notificationEmails: '["ops@example.com"' }, 'context notificationEmails: not a valid JSON array'],
    [{ reservedConcurrency: '0' }, 'context reservedConcurrency: expected an integer >= 1, got "0"'],
    [{ logRetentionDays: 'a year' }, 'context logRetentionDays: expected an integer >= 1, got "a year"'],
    [{ createTrail: 'yes' }, 'context createTrail: expected true or false, got "yes"'],
    [{ sweepSchedule: 'hourly' }, 'context sweepSchedule: expected rate(...) or cron(...), got "hourly"'],
  ])('a wrong value is one clear line: %j', (context, message) => {
    // Prepare
    const act = () => read(context);
    // Act + Assess
    expect(act).toThrow(GuardConfigError);
    expect(act).toThrow(message);
  });
});
