import { renderLogLine } from '../../../functions/cli/log-lines';
import { runInProcess, withEnv } from './in-process';

const FAILED = JSON.stringify(
  {
    level: 'ERROR',
    message: 'could not deliver the alert',
    timestamp: '2026-06-03T10:20:00.000Z',
    service: 'eks-endpoint-guard',
    sampling_rate: 0,
    outcome: 'remediated',
    cluster: 'prod-api',
    correlationId: 'evt-1',
    error: {
      name: 'InternalErrorException',
      message: 'SNS is down',
      stack: 'InternalErrorException: SNS is down\n    at x',
    },
  },
  null,
  4,
);

describe('renderLogLine', () => {
  it('makes a Powertools log one line a person reads: level, message, what went wrong', () => {
    // Act
    const line = renderLogLine(FAILED, 'text', false);

    // Assess
    expect(line).toBe(
      'eks-endpoint-guard: error: could not deliver the alert: InternalErrorException: SNS is down',
    );
  });

  it('adds the fields with --verbose, still on one line and without the stack', () => {
    // Act
    const line = renderLogLine(FAILED, 'text', true);

    // Assess
    expect(line).toBe(
      'eks-endpoint-guard: error: could not deliver the alert: InternalErrorException: SNS is down (outcome=remediated, cluster=prod-api, correlationId=evt-1)',
    );
  });

  it('keeps the log as one JSON line with --log-format json', () => {
    // Act
    const line = renderLogLine(FAILED, 'json', false);

    // Assess
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(JSON.parse(FAILED));
  });

  it('folds anything else written to the console onto one line', () => {
    // Act
    const line = renderLogLine('a warning\n  over two lines', 'json', false);

    // Assess
    expect(line).toBe('a warning over two lines');
  });
});

describe('logs of a command', () => {
  /** A decision that needs no AWS call: an event from another region is ignored. */
  const ignored = (flags: string[]) =>
    withEnv(
      {
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:t',
        RECHECK_QUEUE_URL: 'http://127.0.0.1:9/123456789012/q',
        AUDIT_TABLE_NAME: 'guard-audit-unit',
        // The account is named, so the credentials are not asked which it is.
        GUARD_ROLE_ARN: 'arn:aws:iam::123456789012:role/eks-endpoint-guard-eu-west-1',
        POWERTOOLS_LOG_LEVEL: 'WARN',
      },
      () => runInProcess(['invoke', 'events/create-cluster-public.json', '--dry-run', ...flags]),
    );

  it('leave the decisions to the table without --verbose', async () => {
    // Act
    const run = await ignored([]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('prod-api');
    expect(run.stderr).toBe('');
  });

  it('are one line per decision with --verbose, with its fields', async () => {
    // Act
    const run = await ignored(['--verbose']);

    // Assess
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^eks-endpoint-guard: info: prod-api: ignored: the cluster is in us-east-1; this guard runs in eu-west-1 \(deploy it in each region\) \(outcome=ignored, cluster=prod-api, .*trigger\.eventName=CreateCluster.*\)$/,
    );
  });

  it('are JSON lines with --log-format json', async () => {
    // Act
    const run = await ignored(['--verbose', '--log-format', 'json']);

    // Assess
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'INFO',
      message: 'prod-api: ignored',
      outcome: 'ignored',
    });
  });

  it('refuse a log format that does not exist', async () => {
    // Act
    const run = await runInProcess(['check', '--log-format', 'xml']);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "eks-endpoint-guard: option '--log-format <format>' argument 'xml' is invalid. Allowed choices are text, json.\n",
    );
  });
});
