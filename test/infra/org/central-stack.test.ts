import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { AUDIT_KEYS } from '../../../functions/aws/audit-store';
import { maxBusPolicyRegions } from '../../../infra/org/bus-policy';
import { CENTRAL_BUS_NAME, CentralStack } from '../../../infra/org/central-stack';
import { OrgConfigError } from '../../../infra/org/config';
import { allStatements, newApp, show } from '../helpers';

const ORG = 'o-a1b2c3d4e5';
const MANAGEMENT = '111111111111';
let template: Template;
let stack: CentralStack;

beforeAll(() => {
  // Prepare
  const app = newApp();
  stack = new CentralStack(app, 'Central', {
    regions: ['us-east-1', 'eu-west-1'],
    organizationId: ORG,
    notificationEmails: ['sec@example.com'],
    sharedPolicy: { managementAccountId: MANAGEMENT },
  });
  // Act
  template = Template.fromStack(stack);
}, 120_000);

describe('central stack', () => {
  // Issue 19, findings 1 and 2: the bus took events from any principal of the organisation, and a
  // member's region was the bus's. Now one statement per region binds its guard role to its source.
  test('the bus admits only each region guard role, as that region source, and never the management account', () => {
    // Act
    const policies = Object.values(template.findResources('AWS::Events::EventBusPolicy'));
    const other = allStatements(template).filter((s) => s.Action.some((a) => a.startsWith('events:')));
    // Assess
    const bus = { 'Fn::GetAtt': [expect.stringMatching(/^Bus/), 'Arn'] };
    expect(policies.map((p) => p.Properties.Statement)).toEqual([
      ...['us-east-1', 'eu-west-1']
        .map((region) => ({
          Sid: `cdk-member-${region}`,
          Effect: 'Allow',
          Action: 'events:PutEvents',
          Principal: { AWS: '*' },
          Resource: bus,
          Condition: {
            StringEquals: { 'aws:PrincipalOrgID': ORG },
            'ForAllValues:StringEquals': { 'events:source': `eks-endpoint-guard.${region}` },
            ArnLike: {
              'aws:PrincipalArn': `arn:\${AWS::Partition}:iam::*:role/eks-endpoint-guard-member-${region}`,
            },
          },
        }))
        .map((statement) => ({
          ...statement,
          Condition: {
            ...statement.Condition,
            ArnLike: { 'aws:PrincipalArn': expect.anything() },
          },
        })),
      {
        Sid: 'cdk-not-the-management-account',
        Effect: 'Deny',
        Action: 'events:PutEvents',
        Principal: { AWS: '*' },
        Resource: bus,
        Condition: { StringEquals: { 'aws:PrincipalAccount': MANAGEMENT } },
      },
    ]);
    const roles = policies
      .slice(0, 2)
      .map((p) => show(p.Properties.Statement.Condition.ArnLike['aws:PrincipalArn']));
    expect(roles).toEqual([
      `arn:\${AWS::Partition}:iam::*:role/eks-endpoint-guard-member-us-east-1`,
      `arn:\${AWS::Partition}:iam::*:role/eks-endpoint-guard-member-eu-west-1`,
    ]);
    expect(other).toEqual([]);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'eks-endpoint-guard' });
  });

  test('decisions go to the recorder, readable ones to the alert topic too; sweeps to the recorder only; each from the regions sources', () => {
    // Act
    const rules = Object.values(
      template.findResources('AWS::Events::Rule', {
        Properties: { EventBusName: { Ref: Match.stringLikeRegexp('^Bus') } },
      }),
    );
    const targets = (type: string, readable: boolean) =>
      rules
        .filter(
          (r) =>
            r.Properties.EventPattern['detail-type'][0] === type &&
            'detail' in r.Properties.EventPattern === readable,
        )
        .flatMap((r) => r.Properties.Targets.map((t: { Arn: unknown }) => JSON.stringify(t.Arn)));
    // Assess
    expect(rules).toHaveLength(3);
    for (const rule of rules) {
      expect(rule.Properties.EventPattern.source).toEqual([
        'eks-endpoint-guard.us-east-1',
        'eks-endpoint-guard.eu-west-1',
      ]);
      for (const target of rule.Properties.Targets) expect(target.DeadLetterConfig).toBeDefined();
    }
    expect(targets('EKS Endpoint Guard Decision', false)).toEqual([expect.stringContaining('Recorder')]);
    expect(targets('EKS Endpoint Guard Decision', true)).toEqual([expect.stringContaining('Alerts')]);
    expect(targets('EKS Endpoint Guard Sweep', false)).toEqual([expect.stringContaining('Recorder')]);
    const readable = rules.find((r) => 'detail' in r.Properties.EventPattern);
    expect(readable?.Properties.EventPattern.detail).toEqual({
      schema: [{ prefix: 'eks-endpoint-guard/alert@' }],
      cluster: [{ exists: true }],
      outcome: [{ exists: true }],
      severity: [{ exists: true }],
      reason: [{ exists: true }],
      time: [{ exists: true }],
      correlationId: [{ exists: true }],
    });
  });

  test('a region list whose bus policy EventBridge would refuse is refused at synth, naming the limit', () => {
    // Prepare
    const regions = Array.from({ length: 30 }, (_, i) => `ap-southeast-${i % 10}`).map(
      (region, i) => `${region.slice(0, 3)}${'abcdefghijklmnopqrstuvwxyzabcd'[i]}${region.slice(3)}`,
    );
    // Act
    const build = () => new CentralStack(newApp(), 'Many', { regions, organizationId: ORG });
    // Assess
    expect(build).toThrow(OrgConfigError);
    expect(build).toThrow(
      new RegExp(
        `^regions: 30 regions need a central bus policy of \\d+ bytes, over EventBridge's 10240; at most ${maxBusPolicyRegions(CENTRAL_BUS_NAME, ORG)} regions per central bus`,
      ),
    );
  });

  test('an event the recorder or the watchdog fails on is retried twice, then kept in the dead-letter queue', () => {
    // Prepare
    const queues = template.findResources('AWS::SQS::Queue');
    const deadLetters = Object.keys(queues).find((id) => id.startsWith('DeadLetterQueue'));
    const functions = template.findResources('AWS::Lambda::Function');
    const named = (handler: string) =>
      Object.keys(functions).find((id) => functions[id]?.Properties.Handler === `index.${handler}`);

    // Assess
    for (const handler of ['record', 'watch']) {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: named(handler) },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [deadLetters, 'Arn'] } } },
      });
    }
  });

  test('the central audit table has the member audit key schema', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: AUDIT_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: AUDIT_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: AUDIT_KEYS.byDayIndex }),
        Match.objectLike({ IndexName: AUDIT_KEYS.byOutcomeIndex }),
      ],
      TimeToLiveSpecification: { AttributeName: AUDIT_KEYS.ttlAttribute, Enabled: true },
    });
  });

  test('one dashboard, and an alarm on members that stopped sweeping that also fires when the watchdog is silent', () => {
    // Assess
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'StaleMembers',
      Namespace: 'EksEndpointGuard/Central',
      TreatMissingData: 'breaching',
      Threshold: 1,
    });
    for (const metric of ['MissingMembers', 'RefusedEvents']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metric,
        Namespace: 'EksEndpointGuard/Central',
        Threshold: 1,
      });
    }
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
  });

  test('the organisation policy is an advanced parameter shared read-only with the organisation only', () => {
    // Act
    const parameters = Object.values(template.findResources('AWS::SSM::Parameter'));
    const shares = Object.values(template.findResources('AWS::RAM::ResourceShare'));
    // Assess
    expect(parameters).toHaveLength(1);
    expect(parameters[0]?.Properties).toMatchObject({
      Name: '/eks-endpoint-guard/organisation/policy',
      Tier: 'Advanced',
      Type: 'String',
    });
    expect(shares).toHaveLength(1);
    const share = shares[0]?.Properties;
    expect(share.AllowExternalPrincipals).toBe(false);
    expect(share.ResourceArns).toHaveLength(1);
    expect(show(share.ResourceArns[0])).toMatch(
      /:ssm:.*:parameter\$\{OrganisationPolicyParameter[0-9A-F]{8}\}$/,
    );
    expect(share.Principals.map(show)).toEqual([
      `arn:\${AWS::Partition}:organizations::${MANAGEMENT}:organization/${ORG}`,
    ]);
    expect(share.PermissionArns.map(show)).toEqual([
      `arn:\${AWS::Partition}:ram::aws:permission/AWSRAMDefaultPermissionSSMParameterReadOnly`,
    ]);
  });

  test('a change of the organisation policy is alerted on the central topic', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ssm'],
        'detail-type': ['Parameter Store Change'],
        detail: { name: ['/eks-endpoint-guard/organisation/policy'] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^Alerts') } })],
    });
  });

  test('cdk-nag AwsSolutions and Serverless report nothing unacknowledged', () => {
    // Act
    const violations = [new AwsSolutionsChecks(stack), new ServerlessChecks(stack)].flatMap(
      (pack) => pack.validateScope(stack).violations,
    );
    // Assess
    expect(violations).toEqual([]);
  });

  test('an organisation id that is not one is refused in one line', () => {
    // Act / Assess
    expect(
      () => new CentralStack(newApp(), 'Bad', { regions: ['us-east-1', 'eu-west-1'], organizationId: '123' }),
    ).toThrow(OrgConfigError);
  });
});
