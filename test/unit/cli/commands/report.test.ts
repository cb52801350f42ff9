import 'aws-sdk-client-mock-jest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditItem } from '../../../../functions/aws/audit-store';
import { reportCommand } from '../../../../functions/cli/commands/report';
import type { CliIo } from '../../../../functions/cli/io';
import { history } from '../../core/report/history';
import { mocks, resetAws } from '../../support/aws';

/** `report` in this process, with DynamoDB faked at the SDK boundary. */
const ENV = { AUDIT_TABLE_NAME: 'eks-endpoint-guard-audit', AWS_REGION: 'us-east-1' };
const JDOE = 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe';

function capture(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    errIsTty: false,
    style: { bold: (t) => t, dim: (t) => t, outcome: (o, t) => t ?? o },
    stdout: () => out,
    stderr: () => err,
  };
}

beforeEach(() => {
  resetAws();
  const records = history(
    [
      [{ kind: 'event-violation', lagSeconds: 60, actor: JDOE }, '2026-11-03T10:01:00Z'],
      [{ kind: 'success' }, '2026-11-03T10:08:00Z'],
    ],
    'prod-api',
  ).map((r) => auditItem(r, 0));
  mocks.dynamodb.on(QueryCommand).resolves({ Items: [] });
  mocks.dynamodb
    .on(QueryCommand, { IndexName: 'byDay', ExpressionAttributeValues: { ':day': '2026-11-03' } })
    .resolves({ Items: records });
});

describe('reportCommand', () => {
  it('prints Markdown by default and json on request', async () => {
    // Prepare
    const md = capture();
    const json = capture();

    // Act
    await reportCommand({ month: '2026-11' }, md, ENV);
    await reportCommand({ month: '2026-11', format: 'JSON' }, json, ENV);

    // Assess
    expect(md.stdout()).toMatch(/^# EKS endpoint exposure report\n/);
    const report = JSON.parse(json.stdout());
    expect(report.clusters).toEqual([
      expect.objectContaining({
        cluster: 'prod-api',
        exposedSeconds: 480,
        actors: [expect.objectContaining({ arn: JDOE })],
      }),
    ]);
    expect(report.period).toMatchObject({
      since: '2026-11-01T00:00:00.000Z',
      until: '2026-12-01T00:00:00.000Z',
    });
    // The cluster's days before the period, for windows already open.
    expect(mocks.dynamodb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :since AND :until',
      ExpressionAttributeValues: {
        ':pk': 'us-east-1#prod-api',
        ':since': '2026-08-03T00:00:00.000Z',
        ':until': '2026-11-01T00:00:00.000Z',
      },
    });
  });

  it.each([
    ['report.html', '<!doctype html>'],
    ['windows.csv', 'cluster,region,account,start,'],
    ['report.json', '{'],
    ['report.htm', '<!doctype html>'],
    ['report.markdown', '# EKS'],
    ['report.txt', '# EKS'],
  ])('writes --out %s in the format its extension says', async (name, start) => {
    // Prepare
    const out = join(mkdtempSync(join(tmpdir(), 'guard-report-unit-')), name);
    const io = capture();

    // Act
    await reportCommand(
      { month: '2026-11', out, cluster: 'prod-*', account: '111122223333', sweepInterval: '30m' },
      io,
      ENV,
    );

    // Assess
    expect(readFileSync(out, 'utf8').startsWith(start)).toBe(true);
    expect(io.stdout()).toBe('');
    expect(io.stderr()).toMatch(/^report written to .* \(\w+, 1 cluster\(s\)\)\n$/);
  });

  it.each([
    [{ format: 'docx' }, '--format "docx": expected one of html, md, csv, json, pdf'],
    [{ format: 'pdf' }, '--format pdf writes a file: give --out, e.g. --out exposure.pdf'],
    [{ account: '42' }, '--account "42": expected a 12-digit AWS account id'],
    [{ sweepInterval: 'hourly' }, '--sweep-interval "hourly": expected a duration such as 30m or 1h'],
    [{ cluster: 'a b' }, '--cluster "a b": expected a cluster name or a glob'],
  ])('refuses %j', async (options, message) => {
    // Act
    const run = reportCommand({ month: '2026-11', ...options }, capture(), ENV);

    // Assess
    await expect(run).rejects.toThrow(message);
  });

  it('needs the table name', async () => {
    // Act
    const run = reportCommand({}, capture(), { AWS_REGION: 'us-east-1' });

    // Assess
    await expect(run).rejects.toThrow('environment variable AUDIT_TABLE_NAME is not set');
  });
});
