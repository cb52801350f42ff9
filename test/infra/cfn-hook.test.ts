import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { propsFromContext } from '../../infra/app';
import { HOOK_ALIAS } from '../../infra/cfn-hook';
import { EndpointGuardStack, GuardConfigError } from '../../infra/stack';
import { allStatements, newApp } from './helpers';
import { lint, ORG_CONTEXT, orgApp } from './org/support';

/** The opt-in CloudFormation Lambda hook (DESIGN §17): `cfnHook`, or `-c cfnHook=true`. */
let outdir: string;
let withHook: Template;
let warnDeny: Template;
let plain: Template;
let templateFiles: string[];
let nagFindings: unknown[];

beforeAll(() => {
  // Prepare / Act: the defaults with the hook, the hook's options, and the guard without it.
  outdir = mkdtempSync(path.join(tmpdir(), 'guard-cfn-hook-'));
  const app = newApp({ outdir });
  const stacks = [
    new EndpointGuardStack(app, 'WithHook', { cfnHook: true }),
    new EndpointGuardStack(app, 'WarnDeny', { cfnHook: { failureMode: 'WARN', onHookError: 'deny' } }),
    new EndpointGuardStack(app, 'Plain'),
  ];
  const assembly = app.synth();
  [withHook, warnDeny, plain] = stacks.map((stack) => Template.fromStack(stack)) as [
    Template,
    Template,
    Template,
  ];
  templateFiles = stacks.map((stack) => path.join(assembly.directory, stack.templateFile));
  nagFindings = [new AwsSolutionsChecks(app), new ServerlessChecks(app)].flatMap(
    (pack) => pack.validateScope(app).violations,
  );
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the hook resource', () => {
  test('targets AWS::EKS::Cluster create and update, for stack operations and Cloud Control', () => {
    // Assess
    withHook.resourceCountIs('AWS::CloudFormation::LambdaHook', 1);
    withHook.hasResourceProperties('AWS::CloudFormation::LambdaHook', {
      Alias: HOOK_ALIAS,
      FailureMode: 'FAIL',
      HookStatus: 'ENABLED',
      TargetOperations: ['RESOURCE', 'CLOUD_CONTROL'],
      TargetFilters: {
        Targets: [
          { Action: 'CREATE', InvocationPoint: 'PRE_PROVISION', TargetName: 'AWS::EKS::Cluster' },
          { Action: 'UPDATE', InvocationPoint: 'PRE_PROVISION', TargetName: 'AWS::EKS::Cluster' },
        ],
      },
      LambdaFunction: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CfnHookFunction'), 'Arn'] },
    });
  });

  test('is opt-in: a guard without cfnHook has none', () => {
    // Assess
    plain.resourceCountIs('AWS::CloudFormation::LambdaHook', 0);
    plain.resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('takes the failure mode and onHookError options', () => {
    // Assess
    warnDeny.hasResourceProperties('AWS::CloudFormation::LambdaHook', { FailureMode: 'WARN' });
    warnDeny.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ON_HOOK_ERROR: 'deny' }) },
    });
    withHook.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ON_HOOK_ERROR: 'allow' }) },
    });
  });

  test('CloudFormation may assume the execution role for this account only, to invoke this function only', () => {
    // Act
    const [role] = Object.values(
      withHook.findResources('AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [Match.objectLike({ Principal: { Service: 'hooks.cloudformation.amazonaws.com' } })],
          },
        },
      }),
    );
    const invoke = allStatements(withHook).filter((s) => s.Sid === 'InvokeHookFunction');

    // Assess
    expect(role?.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    });
    expect(invoke).toEqual([
      expect.objectContaining({
        Action: ['lambda:InvokeFunction'],
        Resource: [expect.stringMatching(/^\$\{CfnHookFunction[0-9A-F]{8}\.Arn\}$/)],
      }),
    ]);
  });

  test('the function answers within the 30 seconds hooks wait, on the Lambda runtime of the guard', () => {
    // Assess
    withHook.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Timeout: Match.anyValue(),
      Environment: {
        Variables: Match.objectLike({
          TOPIC_ARN: { Ref: Match.stringLikeRegexp('^Alerts') },
          POLICY_CACHE_SECONDS: '60',
        }),
      },
    });
    const [fn] = Object.values(
      withHook.findResources('AWS::Lambda::Function', {
        Properties: { Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CfnHookFunctionRole'), 'Arn'] } },
      }),
    );
    expect(fn?.Properties.Timeout).toBeLessThan(30);
  });
});

describe('least privilege', () => {
  test('the hook function may only read the policy and alert its own faults (plus its logs and traces)', () => {
    // Act
    const statements = allStatements(withHook)
      .filter((s) => s.where.includes('CfnHookFunctionRoleDefaultPolicy'))
      .map((s) => ({ actions: s.Action.sort(), resources: s.Resource }));

    // Assess
    expect(statements).toEqual(
      expect.arrayContaining([
        { actions: ['ssm:GetParameter'], resources: [expect.stringMatching(/parameter\$\{PolicyParameter/)] },
        { actions: ['sns:Publish'], resources: [expect.stringMatching(/^\$\{Alerts[0-9A-F]{8}\}$/)] },
        {
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [expect.stringMatching(/^\$\{AlertsKey[0-9A-F]{8}\.Arn\}$/)],
        },
      ]),
    );
    const actions = statements.flatMap((s) => s.actions);
    expect(
      actions.filter(
        (a) => !/^(ssm:GetParameter|sns:Publish|kms:(Decrypt|GenerateDataKey)|logs:|xray:)/.test(a),
      ),
    ).toEqual([]);
    expect(actions.some((a) => a.startsWith('eks:'))).toBe(false);
  });

  test('cdk-nag finds nothing unacknowledged', () => {
    // Assess
    expect(nagFindings).toEqual([]);
  });

  test('cfn-lint finds no errors or warnings', () => {
    // Act
    const findings = lint(templateFiles);

    // Assess
    expect(findings).toEqual([]);
  }, 120_000);
});

describe('context and options', () => {
  /** The stack props `-c key=value` gives. */
  function propsFrom(context: Record<string, string>) {
    const app = newApp();
    for (const [key, value] of Object.entries(context)) app.node.setContext(key, value);
    return propsFromContext(app.node);
  }

  test.each([
    [{}, undefined],
    [{ cfnHook: 'false' }, undefined],
    [{ cfnHook: 'true' }, {}],
    [
      { cfnHook: 'true', cfnHookFailureMode: 'warn', cfnHookOnError: 'Deny' },
      { failureMode: 'WARN', onHookError: 'deny' },
    ],
  ])('-c %o', (context, expected) => {
    // Act
    const props = propsFrom(context);

    // Assess
    expect(props.cfnHook).toEqual(expected);
  });

  test.each([
    [{ cfnHook: 'yes' }, 'context cfnHook: expected true or false, got "yes"'],
    [
      { cfnHook: 'true', cfnHookFailureMode: 'BLOCK' },
      'context cfnHookFailureMode: expected FAIL or WARN, got "BLOCK"',
    ],
    [
      { cfnHook: 'true', cfnHookOnError: 'ignore' },
      'context cfnHookOnError: expected allow or deny, got "ignore"',
    ],
    [{ cfnHookOnError: 'deny' }, 'context cfnHookFailureMode and cfnHookOnError need cfnHook=true'],
  ])('refuses -c %o with one line', (context, message) => {
    // Act
    const read = () => propsFrom(context);

    // Assess
    expect(read).toThrow(GuardConfigError);
    expect(read).toThrow(message);
  });

  test('refuses a construct option the hook does not have', () => {
    // Act
    const build = () =>
      new EndpointGuardStack(newApp(), 'Bad', { cfnHook: { failureMode: 'BLOCK' as never } });

    // Assess
    expect(build).toThrow('cfnHook failureMode BLOCK: expected FAIL or WARN');
  });
});

describe('organisation mode', () => {
  test('the hook travels with the member template, which stays cdk-nag and cfn-lint clean', () => {
    // Prepare
    const app = orgApp({ ...ORG_CONTEXT, cfnHook: 'true' });

    // Act
    const directory = app.synth().directory;
    const file = path.join(directory, 'stackset-member', 'Member.template.json');
    const member = Template.fromJSON(JSON.parse(readFileSync(file, 'utf8')));
    const violations = [new AwsSolutionsChecks(app), new ServerlessChecks(app)].flatMap(
      (pack) => pack.validateScope(app).violations,
    );

    // Assess
    member.resourceCountIs('AWS::CloudFormation::LambdaHook', 1);
    // The member reads the organisation's shared policy: so does its hook.
    member.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ON_HOOK_ERROR: 'allow',
          POLICY_PARAMETER_NAME:
            'arn:aws:ssm:eu-west-1:222233334444:parameter/eks-endpoint-guard/organisation/policy',
        }),
      },
    });
    expect(violations).toEqual([]);
    expect(lint([file])).toEqual([]);
  }, 120_000);
});
