import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Template } from 'aws-cdk-lib/assertions';
import { EndpointGuardStack } from '../../infra/stack';
import { logicalId, newApp } from './helpers';

/**
 * The queue policies and the recommended SCP, evaluated by an independent IAM policy simulator
 * against concrete requests: what they deny and what they still allow, not our reading of them.
 */
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const STACK = 'EksEndpointGuard';
const SUFFIX = 'AbC123dEf456';
const SCP = JSON.parse(
  readFileSync(path.join(__dirname, '..', '..', 'docs', 'guard-protection-scp.json'), 'utf8'),
);
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

const DEVELOPER = `arn:aws:iam::${ACCOUNT}:role/Developer`;
const OPERATOR = `arn:aws:iam::${ACCOUNT}:role/GuardOperator`;
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/REPLACE-WITH-GUARD-DEPLOY-ROLE`;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

let template: Template;
/** The ARN a resource of the template gets when CloudFormation names it. */
let arnOf: (logical: string) => string;

beforeAll(() => {
  // Prepare
  const app = newApp();
  template = Template.fromStack(new EndpointGuardStack(app, STACK, { deadLetterOperatorRoleArn: OPERATOR }));
  const resources = template.toJSON().Resources as Record<string, { Type: string }>;
  arnOf = (logical) => {
    const name = `${STACK}-${logical}-${SUFFIX}`;
    const forms: Record<string, string> = {
      'AWS::IAM::Role': `arn:aws:iam::${ACCOUNT}:role/${name}`,
      'AWS::SQS::Queue': `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
      'AWS::Events::Rule': `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`,
    };
    const arn = forms[resources[logical]?.Type ?? ''];
    if (!arn) throw new Error(`no ARN form for ${logical}`);
    return arn;
  };
});

/** A template value with its intrinsics replaced by what CloudFormation would put there. */
function resolve(value: Json): Json {
  if (Array.isArray(value)) return value.map(resolve);
  if (!value || typeof value !== 'object') return value;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn') return arnOf(String(getAtt[0]));
  const ref = value.Ref;
  if (ref === 'AWS::AccountId') return ACCOUNT;
  if (ref === 'AWS::Region') return REGION;
  if (ref === 'AWS::Partition') return 'aws';
  const join = value['Fn::Join'];
  if (Array.isArray(join)) return (join[1] as Json[]).map(resolve).join(String(join[0]));
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, resolve(child)]));
}

function queuePolicy(queuePrefix: string): Json {
  const queue = logicalId(template, 'AWS::SQS::Queue', queuePrefix);
  const [policy] = Object.values(
    template.findResources('AWS::SQS::QueuePolicy', { Properties: { Queues: [{ Ref: queue }] } }),
  ) as { Properties: { PolicyDocument: Json } }[];
  return resolve(policy?.Properties.PolicyDocument ?? null);
}

async function decide(options: {
  principal: string;
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  identity?: boolean;
  resourcePolicy?: Json;
  scp?: boolean;
}): Promise<string> {
  const iamPrincipal = options.principal.startsWith('arn:');
  const result = await runSimulation(
    {
      request: {
        principal: options.principal,
        action: options.action,
        resource: { resource: options.resource, accountId: ACCOUNT },
        // What AWS sets on every such request: the caller's ARN (for IAM principals) and TLS.
        contextVariables: {
          ...(iamPrincipal ? { 'aws:PrincipalArn': options.principal } : {}),
          'aws:SecureTransport': 'true',
          ...options.context,
        },
      },
      identityPolicies: options.identity === false ? [] : [{ name: 'AllowAll', policy: ALLOW_ALL }],
      serviceControlPolicies: [
        {
          orgIdentifier: 'r-root',
          policies: [
            { name: 'FullAWSAccess', policy: ALLOW_ALL },
            ...(options.scp ? [{ name: 'GuardProtection', policy: SCP }] : []),
          ],
        },
      ],
      resourceControlPolicies: [],
      ...(options.resourcePolicy ? { resourcePolicy: options.resourcePolicy } : {}),
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

describe('queue policies, simulated', () => {
  const role = () => arnOf(logicalId(template, 'AWS::IAM::Role', 'RemediatorRole'));
  const queue = (prefix: string) => arnOf(logicalId(template, 'AWS::SQS::Queue', prefix));
  const rule = (prefix: string) => arnOf(logicalId(template, 'AWS::Events::Rule', prefix));

  test('only the guard role may send to or consume the recheck queue, whatever its IAM policies allow', async () => {
    // Prepare
    const resourcePolicy = queuePolicy('RecheckQueue');
    const ask = (principal: string, action: string) =>
      decide({ principal, action, resource: queue('RecheckQueue'), resourcePolicy });
    // Act
    const decisions = {
      developerSends: await ask(DEVELOPER, 'sqs:SendMessage'),
      developerReceives: await ask(DEVELOPER, 'sqs:ReceiveMessage'),
      developerDeletes: await ask(DEVELOPER, 'sqs:DeleteMessage'),
      developerPurges: await ask(DEVELOPER, 'sqs:PurgeQueue'),
      operatorPurges: await ask(OPERATOR, 'sqs:PurgeQueue'),
      developerReadsAttributes: await ask(DEVELOPER, 'sqs:GetQueueAttributes'),
      guardSends: await ask(role(), 'sqs:SendMessage'),
      guardReceives: await ask(role(), 'sqs:ReceiveMessage'),
    };
    // Assess
    expect(decisions).toEqual({
      developerSends: 'ExplicitlyDenied',
      developerReceives: 'ExplicitlyDenied',
      developerDeletes: 'ExplicitlyDenied',
      developerPurges: 'ExplicitlyDenied',
      operatorPurges: 'ExplicitlyDenied',
      developerReadsAttributes: 'Allowed',
      guardSends: 'Allowed',
      guardReceives: 'Allowed',
    });
  });

  test("the dead-letter queue takes messages from the guard role and the guard's rules only", async () => {
    // Prepare
    const resourcePolicy = queuePolicy('DeadLetterQueue');
    const resource = queue('DeadLetterQueue');
    const fromRule = (source: string) =>
      decide({
        principal: 'events.amazonaws.com',
        action: 'sqs:SendMessage',
        resource,
        resourcePolicy,
        identity: false,
        context: { 'aws:SourceArn': source, 'aws:SourceAccount': ACCOUNT },
      });
    // Act
    const decisions = {
      developer: await decide({ principal: DEVELOPER, action: 'sqs:SendMessage', resource, resourcePolicy }),
      guard: await decide({ principal: role(), action: 'sqs:SendMessage', resource, resourcePolicy }),
      endpointRule: await fromRule(rule('EndpointChangeRule')),
      policyRule: await fromRule(rule('PolicyChangeRule')),
      sweep: await fromRule(rule('SweepSchedule')),
      otherRule: await fromRule(`arn:aws:events:${REGION}:${ACCOUNT}:rule/someone-elses-rule`),
      developerReads: await decide({
        principal: DEVELOPER,
        action: 'sqs:ReceiveMessage',
        resource,
        resourcePolicy,
      }),
    };
    // Assess
    expect(decisions).toEqual({
      developer: 'ExplicitlyDenied',
      guard: 'Allowed',
      endpointRule: 'Allowed',
      policyRule: 'Allowed',
      sweep: 'Allowed',
      otherRule: 'ExplicitlyDenied',
      developerReads: 'ExplicitlyDenied',
    });
  });

  // Issue 19, finding 10: receive and delete on the dead-letter queues let failures be hidden
  // before the alarm fires.
  test.each(['DeadLetterQueue', 'RecheckDeadLetterQueue'])(
    'only the guard role and the operator role take messages off the %s',
    async (prefix) => {
      // Prepare
      const resourcePolicy = queuePolicy(prefix);
      const resource = queue(prefix);
      const actions = [
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:PurgeQueue',
      ];
      const ask = async (principal: string) =>
        Promise.all(actions.map((action) => decide({ principal, action, resource, resourcePolicy })));
      // Act
      const decisions = {
        developer: await ask(DEVELOPER),
        operator: await ask(OPERATOR),
        guard: await ask(role()),
        developerReadsAttributes: await decide({
          principal: DEVELOPER,
          action: 'sqs:GetQueueAttributes',
          resource,
          resourcePolicy,
        }),
      };
      // Assess
      expect(decisions).toEqual({
        developer: actions.map(() => 'ExplicitlyDenied'),
        operator: actions.map(() => 'Allowed'),
        guard: actions.map(() => 'Allowed'),
        developerReadsAttributes: 'Allowed',
      });
    },
  );

  test('nobody may send to the recheck dead-letter queue', async () => {
    // Prepare
    const resourcePolicy = queuePolicy('RecheckDeadLetterQueue');
    const resource = queue('RecheckDeadLetterQueue');
    // Act
    const decisions = await Promise.all(
      [DEVELOPER, role()].map((principal) =>
        decide({ principal, action: 'sqs:SendMessage', resource, resourcePolicy }),
      ),
    );
    // Assess
    expect(decisions).toEqual(['ExplicitlyDenied', 'ExplicitlyDenied']);
  });
});

describe('the recommended SCP, simulated', () => {
  const name = (logical: string) => `${STACK}-${logical}-${SUFFIX}`;
  const guardRole = `arn:aws:iam::${ACCOUNT}:role/${name('RemediatorRoleA36235BE')}`;
  const fn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name('RemediatorF10C6561')}`;
  const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name('AuditTableB07F8EEB')}`;
  const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:${name('Alerts91F83244')}`;
  const queue = `arn:aws:sqs:${REGION}:${ACCOUNT}:${name('RecheckQueue53AC60E1')}`;
  const parameter = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/eks-endpoint-guard/policy`;
  const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const stackTag = { 'aws:ResourceTag/aws:cloudformation:stack-name': STACK };
  const changes: [string, string, Record<string, string>?][] = [
    [
      'cloudformation:DeleteStack',
      `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${STACK}/0f1e2d3c-0000`,
    ],
    ['lambda:UpdateFunctionCode', fn],
    ['lambda:InvokeFunction', fn],
    [
      'lambda:DeleteEventSourceMapping',
      `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:abc`,
      { 'lambda:FunctionArn': fn },
    ],
    ['iam:PassRole', guardRole],
    ['iam:PutRolePolicy', guardRole],
    ['ssm:PutParameter', parameter],
    ['ssm:DeleteParameter', parameter],
    ['sqs:SetQueueAttributes', queue],
    ['dynamodb:DeleteTable', table],
    ['sns:Subscribe', topic],
    ['kms:ScheduleKeyDeletion', key, stackTag],
    ['events:DisableRule', `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name('EndpointChangeRule8A4E972A')}`],
    ['logs:DeleteLogGroup', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name('RemediatorLogs6202C805')}`],
  ];
  const writes: [string, string][] = [
    ['dynamodb:PutItem', table],
    ['sns:Publish', topic],
    ['sqs:SendMessage', queue],
  ];
  // A key is used only as its key policy allows: this one hands it to IAM, as the guard's keys do.
  const keyPolicy = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    ],
  };
  const ask = (principal: string, [action, resource, context]: [string, string, Record<string, string>?]) =>
    decide({
      principal,
      action,
      resource,
      ...(context ? { context } : {}),
      ...(action.startsWith('kms:') ? { resourcePolicy: keyPolicy } : {}),
      scp: true,
    });

  test('denies a developer with full IAM access every change to the guard, and its writes', async () => {
    // Act
    const decisions = await Promise.all(
      [...changes, ...writes].map(async (r) => [r[0], await ask(DEVELOPER, r)]),
    );
    // Assess
    for (const [action, decision] of decisions)
      expect({ action, decision }).toEqual({ action, decision: 'ExplicitlyDenied' });
  });

  test('allows all of it to the deploy role', async () => {
    // Act
    const decisions = await Promise.all(
      [...changes, ...writes].map(async (r) => [r[0], await ask(DEPLOYER, r)]),
    );
    // Assess
    for (const [action, decision] of decisions)
      expect({ action, decision }).toEqual({ action, decision: 'Allowed' });
  });

  test("allows the guard role its own writes and reads, and nothing else on the guard's resources", async () => {
    // Act
    const own = await Promise.all(
      [...writes, ['ssm:GetParameter', parameter] as [string, string]].map(async (r) => [
        r[0],
        await ask(guardRole, r),
      ]),
    );
    const change = await ask(guardRole, ['lambda:UpdateFunctionCode', fn]);
    // Assess
    for (const [action, decision] of own)
      expect({ action, decision }).toEqual({ action, decision: 'Allowed' });
    expect(change).toBe('ExplicitlyDenied');
  });

  test("leaves a developer's other work alone", async () => {
    // Act
    const decisions = {
      cluster: await ask(DEVELOPER, [
        'eks:UpdateClusterConfig',
        `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/prod-api`,
      ]),
      ownFunction: await ask(DEVELOPER, [
        'lambda:UpdateFunctionCode',
        `arn:aws:lambda:${REGION}:${ACCOUNT}:function:app`,
      ]),
      ownParameter: await ask(DEVELOPER, [
        'ssm:PutParameter',
        `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/app/config`,
      ]),
      ownKey: await ask(DEVELOPER, [
        'kms:ScheduleKeyDeletion',
        key,
        { 'aws:ResourceTag/aws:cloudformation:stack-name': 'App' },
      ]),
      readAudit: await ask(DEVELOPER, ['dynamodb:Query', table]),
    };
    // Assess
    expect(decisions).toEqual({
      cluster: 'Allowed',
      ownFunction: 'Allowed',
      ownParameter: 'Allowed',
      ownKey: 'Allowed',
      readAudit: 'Allowed',
    });
  });
});
