import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { propsFromContext } from '../../infra/app';
import { EndpointGuard, GuardConfigError } from '../../infra/endpoint-guard';
import { EndpointGuardStack } from '../../infra/stack';
import { newApp } from './helpers';

const BUS = 'arn:aws:events:eu-west-1:222233334444:event-bus/eks-endpoint-guard';

let member: Template;
let forwarding: Template;
let memberStack: EndpointGuardStack;

beforeAll(() => {
  // Prepare / Act: a member pinned to a region (as a multi-region member is), and a single account that only forwards
  const app = newApp();
  memberStack = new EndpointGuardStack(app, 'Member', {
    env: { region: 'ap-southeast-2' },
    decisionBusArn: BUS,
    organizationMode: true,
    sweepSchedule: 'rate(30 minutes)',
  });
  const single = new EndpointGuardStack(app, 'Forwarding', { decisionBusArn: BUS });
  member = Template.fromStack(memberStack);
  forwarding = Template.fromStack(single);
}, 60_000);

const env = (template: Template) =>
  Object.values(template.findResources('AWS::Lambda::Function'))[0]?.Properties.Environment.Variables;

describe('organizationMode', () => {
  test('keeps the log group key when asked to, for $1 a month more', () => {
    // Prepare
    const stack = new Stack(newApp(), 'KeepsLogKey');

    // Act
    const guard = new EndpointGuard(stack, 'Guard', {
      decisionBusArn: BUS,
      organizationMode: true,
      customerManagedLogKey: true,
    });

    // Assess
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue() });
    expect(guard.logsKey).toBeDefined();
    expect(guard.dashboard).toBeUndefined();
  });

  test('leaves out the dashboard, the alarms, the customer managed keys and the dashboard output', () => {
    // Assess
    member.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    member.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    member.resourceCountIs('AWS::KMS::Key', 0);
    expect(Object.keys(member.findOutputs('*'))).not.toContain('DashboardName');
    expect(memberStack.guard.dashboard).toBeUndefined();
    expect(memberStack.guard.alarms).toEqual([]);
  });

  test('keeps the saved queries, encrypts the topic with the AWS managed key and grants no key use', () => {
    // Assess
    member.resourceCountIs('AWS::Logs::QueryDefinition', 3);
    const topic = Object.values(member.findResources('AWS::SNS::Topic'))[0];
    expect(JSON.stringify(topic?.Properties.KmsMasterKeyId)).toContain(':alias/aws/sns');
    const policies = JSON.stringify(member.findResources('AWS::IAM::Policy'));
    expect(policies).not.toContain('kms:');
    expect(policies).not.toContain('cloudwatch.amazonaws.com');
  });

  test('sends decisions to the central bus with the sweep schedule, and publishes no custom metrics', () => {
    // Assess
    expect(env(member)).toMatchObject({
      DECISION_BUS_ARN: BUS,
      SWEEP_SCHEDULE: 'rate(30 minutes)',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    member.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Sid: 'SendDecisionsToCentralBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: BUS },
        ]),
      },
    });
  });

  test('a single account may forward its decisions and keep its own alarms and dashboard', () => {
    // Assess
    expect(env(forwarding)).toMatchObject({ DECISION_BUS_ARN: BUS, SWEEP_SCHEDULE: 'rate(1 hour)' });
    expect(env(forwarding).POWERTOOLS_METRICS_DISABLED).toBeUndefined();
    forwarding.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    forwarding.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    forwarding.resourceCountIs('AWS::KMS::Key', 2);
  });

  test('without a bus the function has no bus or metrics switch in its environment', () => {
    // Prepare
    const stack = new EndpointGuardStack(newApp(), 'Plain');
    // Act
    const variables = env(Template.fromStack(stack));
    // Assess
    for (const name of ['DECISION_BUS_ARN', 'POWERTOOLS_METRICS_DISABLED'])
      expect(variables[name]).toBeUndefined();
    // The schedule is always named: the scheduled sweeps of one period share one blast-radius budget.
    expect(variables.SWEEP_SCHEDULE).toBe('rate(1 hour)');
  });

  test('cdk-nag reports nothing for a region-pinned member: the construct acknowledges in the pinned form', () => {
    // Act
    const app = memberStack.node.root;
    const violations = [new AwsSolutionsChecks(app), new ServerlessChecks(app)].flatMap(
      (pack) => pack.validateScope(app).violations,
    );
    // Assess
    expect(violations).toEqual([]);
  });

  test.each([
    [{ organizationMode: true }, /organizationMode needs decisionBusArn/],
    [{ organizationMode: true, decisionBusArn: BUS, createTrail: true }, /exclude each other/],
  ])('refuses %j in one line', (props, message) => {
    // Act / Assess
    expect(() => new EndpointGuard(new Stack(newApp(), 'S'), 'Guard', props)).toThrow(GuardConfigError);
    expect(() => new EndpointGuardStack(newApp(), 'S', props)).toThrow(message);
  });

  test('the app reads decisionBusArn and organizationMode from the context', () => {
    // Prepare
    const app = newApp();
    app.node.setContext('decisionBusArn', ` ${BUS} `);
    app.node.setContext('organizationMode', 'true');
    // Act
    const props = propsFromContext(app.node);
    // Assess
    expect(props).toMatchObject({ decisionBusArn: BUS, organizationMode: true });
  });
});
