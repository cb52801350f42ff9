import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AUDIT_KEYS } from '../../functions/aws/audit-store';
import { centralStore } from '../../functions/aws/central-store';
import { recorder } from '../../functions/central/recorder';
import { expectedItems } from '../../functions/core/central-coverage';
import type { CheckResult } from '../../functions/core/result';
import { runInProcess, withEnv } from '../unit/cli/in-process';
import { REGION, useEmulator } from './support';

/**
 * `audit --account` and `report --account` over the organisation's central table, written by the
 * central recorder from member events exactly as the central bus delivers them; and `--stack`
 * reading the table's name from a CloudFormation stack's outputs.
 */
const SUFFIX = `central-cli-${process.pid}`;
const TABLE = `central-audit-${SUFFIX}`;
const STACK = `CentralCli${process.pid}`;
const A = '111100002222';
const B = '333300004444';
const MANAGEMENT = '999900008888';
let env: Record<string, string>;
const now = Date.now();
const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();

/** As EventBridge delivers it to the central bus: the bus's region on the envelope, the member's in the source. */
function decision(account: string, region: string, cluster: string, outcome: string, minutesAgo: number) {
  return {
    account,
    region: REGION,
    source: `eks-endpoint-guard.${region}`,
    'detail-type': 'EKS Endpoint Guard Decision',
    detail: {
      schema: 'eks-endpoint-guard/alert@2',
      cluster,
      region,
      account,
      outcome,
      severity: 'critical',
      reason: `${outcome} in ${region}`,
      time: at(minutesAgo),
      correlationId: `${account}-${region}-${cluster}`,
      trigger: { source: 'event', byGuard: false },
      attempt: 0,
      before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
      after: { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
    },
  };
}

beforeAll(async () => {
  // Prepare: the central table (the central stack's layout) and what the recorder writes to it
  const endpoint = useEmulator();
  env = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  };
  const dynamodb = new DynamoDBClient({ region: REGION });
  const keys = [
    { AttributeName: AUDIT_KEYS.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: AUDIT_KEYS.sortKey, KeyType: 'RANGE' as const },
  ];
  const index = (name: string, key: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: key, KeyType: 'HASH' as const },
      { AttributeName: AUDIT_KEYS.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  await dynamodb.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: keys,
      AttributeDefinitions: ['pk', 'sk', 'day', 'outcome'].map((name) => ({
        AttributeName: name,
        AttributeType: 'S' as const,
      })),
      GlobalSecondaryIndexes: [
        index(AUDIT_KEYS.byDayIndex, 'day'),
        index(AUDIT_KEYS.byOutcomeIndex, 'outcome'),
      ],
    }),
  );
  const record = recorder(dynamodb, TABLE, { regions: ['us-east-1', 'eu-west-1'], log: () => undefined });
  for (const event of [
    decision(A, 'us-east-1', 'pay', 'remediated', 30),
    decision(A, 'eu-west-1', 'pay', 'blocked', 20),
    decision(B, 'us-east-1', 'web', 'remediated', 10),
    {
      account: A,
      region: REGION,
      source: 'eks-endpoint-guard.eu-west-1',
      'detail-type': 'EKS Endpoint Guard Sweep',
      detail: { sweptAt: at(5), clusters: 1, sweepSchedule: 'rate(1 hour)' },
    },
  ])
    expect(await record(event)).toBe('written');
  // What the watchdog keeps of the StackSet's instances: A in two regions, listed three hours ago.
  const listed = new Date(now - 180 * 60_000);
  await centralStore(dynamodb, TABLE).putExpected([
    ...expectedItems(
      [
        { account: A, region: 'us-east-1', status: 'CURRENT', detailedStatus: 'FAILED' },
        { account: A, region: 'eu-west-1', status: 'CURRENT', detailedStatus: 'SUCCEEDED' },
      ],
      [],
      listed,
    ),
    { pk: 'expected', sk: 'management', account: MANAGEMENT },
  ]);
  // A stack whose outputs name the central table, as the central stack's do
  await new CloudFormationClient({ region: REGION }).send(
    new CreateStackCommand({
      StackName: STACK,
      TemplateBody: JSON.stringify({
        Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
        Outputs: {
          AuditTableName: { Value: TABLE },
          TopicArn: { Value: { Ref: 'Topic' } },
        },
      }),
    }),
  );
}, 60_000);

async function cli(args: string[], extra: Record<string, string | undefined> = {}) {
  return withEnv({ ...env, ...extra }, () => runInProcess(args));
}

describe('the central table through the CLI', () => {
  test("audit --account reads that account's records, in every region, and no other account's", async () => {
    // Act
    const run = await cli(['audit', '--json', '--since', '1d', '--account', A], { AUDIT_TABLE_NAME: TABLE });
    // Assess
    expect(run.stderr).toBe('');
    const records = JSON.parse(run.stdout) as CheckResult[];
    expect(records.map((r) => [r.account, r.region, r.cluster, r.outcome])).toEqual([
      [A, 'eu-west-1', 'pay', 'blocked'],
      [A, 'us-east-1', 'pay', 'remediated'],
    ]);
  });

  test('audit --account --cluster finds the cluster in any region of the account', async () => {
    // Act
    const run = await cli(['audit', '--json', '--account', B, '--cluster', 'web'], {
      AUDIT_TABLE_NAME: TABLE,
    });
    // Assess
    expect((JSON.parse(run.stdout) as CheckResult[]).map((r) => r.correlationId)).toEqual([
      `${B}-us-east-1-web`,
    ]);
  });

  test('--stack reads the table name from the stack outputs: no variable copied by hand', async () => {
    // Act
    const run = await cli(['audit', '--json', '--stack', STACK, '--region', REGION, '--account', A], {
      AUDIT_TABLE_NAME: undefined,
    });
    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(2);
  });

  test('report --account on the central table reports the member region asked for', async () => {
    // Act
    const run = await cli(
      ['report', '--format', 'json', '--since', '1d', '--account', A, '--member-region', 'eu-west-1'],
      { AUDIT_TABLE_NAME: TABLE },
    );
    // Assess
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as {
      region: string;
      clusters: { cluster: string; region: string }[];
    };
    expect(report.region).toBe('eu-west-1');
    expect(report.clusters.map((c) => [c.cluster, c.region])).toEqual([['pay', 'eu-west-1']]);
  });

  // Issue 19, finding 3: a member whose instance never deployed was invisible.
  test('audit --account shows the coverage: every expected account-region and its last heartbeat', async () => {
    // Act
    const run = await cli(['audit', '--since', '1d', '--account', A], { AUDIT_TABLE_NAME: TABLE });
    // Assess
    expect(run.stderr).toBe('');
    const coverage = run.stdout.slice(run.stdout.indexOf(`Coverage of account ${A}:`)).split('\n');
    expect(coverage[0]).toBe(`Coverage of account ${A}:`);
    expect(coverage[1]).toMatch(/^region\s+state\s+last heartbeat\s+note/);
    expect(coverage.find((l) => l.startsWith('eu-west-1'))).toMatch(
      new RegExp(`^eu-west-1\\s+reporting\\s+${at(5).slice(0, 16)}`),
    );
    expect(coverage.find((l) => l.startsWith('us-east-1'))).toMatch(
      /^us-east-1\s+never reported\s+never\s+StackSet FAILED/,
    );
  });

  test('report --account carries the coverage, and the management account is shown as running no guard', async () => {
    // Act
    const report = await cli(['report', '--format', 'json', '--since', '1d', '--account', A], {
      AUDIT_TABLE_NAME: TABLE,
    });
    const management = await cli(['audit', '--since', '1d', '--account', MANAGEMENT], {
      AUDIT_TABLE_NAME: TABLE,
    });
    // Assess
    expect(JSON.parse(report.stdout).coverage).toEqual([
      expect.objectContaining({ account: A, region: 'eu-west-1', state: 'reporting', lastSweepAt: at(5) }),
      expect.objectContaining({ account: A, region: 'us-east-1', state: 'never reported' }),
    ]);
    expect(management.stdout).toMatch(
      /\*\s+management account\s+never\s+the organisation management account: service-managed StackSets never deploy there/,
    );
  });

  test('an unknown stack is refused in one line', async () => {
    // Act
    const run = await cli(['audit', '--stack', 'NoSuchGuardStack', '--region', REGION]);
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`eks-endpoint-guard: --stack NoSuchGuardStack: no such stack in ${REGION}\n`);
  });
});
