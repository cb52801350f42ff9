import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { AUDIT_KEYS } from '../../../functions/aws/audit-store';
import { CentralStack } from '../../../infra/org/central-stack';
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
    organizationId: ORG,
    notificationEmails: ['sec@example.com'],
    sharedPolicy: { managementAccountId: MANAGEMENT },
  });
  // Act
  template = Template.fromStack(stack);
}, 120_000);

describe('central stack', () => {
  test('the bus admits PutEvents from principals of the organisation only', () => {
    // Act
    const policies = Object.values(template.findResources('AWS::Events::EventBusPolicy'));
    const other = allStatements(template).filter((s) => s.Action.some((a) => a.startsWith('events:')));
    // Assess
    expect(policies.map((p) => p.Properties.Statement)).toEqual([
      {
        Sid: expect.any(String),
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Principal: { AWS: '*' },
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Bus/), 'Arn'] },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
      },
    ]);
    expect(other).toEqual([]);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'eks-endpoint-guard' });
  });

  test('decisions go to the alert topic and the recorder; sweeps to the recorder only', () => {
    // Act
    const rules = template.findResources('AWS::Events::Rule', {
      Properties: { EventPattern: Match.objectLike({ source: ['eks-endpoint-guard'] }) },
    });
    const byType = Object.fromEntries(
      Object.values(rules).map((rule) => [
        rule.Properties.EventPattern['detail-type'][0],
        rule.Properties.Targets.map((t: { Arn: unknown }) => JSON.stringify(t.Arn)),
      ]),
    );
    // Assess
    expect(Object.keys(byType).sort()).toEqual(['EKS Endpoint Guard Decision', 'EKS Endpoint Guard Sweep']);
    const decisionTargets = byType['EKS Endpoint Guard Decision'] as string[];
    expect(decisionTargets).toHaveLength(2);
    expect(decisionTargets.some((arn) => arn.includes('Alerts'))).toBe(true);
    expect(decisionTargets.some((arn) => arn.includes('Recorder'))).toBe(true);
    expect(byType['EKS Endpoint Guard Sweep']).toEqual([expect.stringContaining('Recorder')]);
    for (const rule of Object.values(rules)) {
      expect(rule.Properties.EventBusName).toEqual({ Ref: expect.stringMatching(/^Bus/) });
      for (const target of rule.Properties.Targets) expect(target.DeadLetterConfig).toBeDefined();
    }
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
    expect(() => new CentralStack(newApp(), 'Bad', { organizationId: '123' })).toThrow(OrgConfigError);
  });
});
