import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Template } from 'aws-cdk-lib/assertions';
import { EndpointGuardStack } from '../../infra/stack';
import { logicalId, newApp } from './helpers';

/**
 * The queue policies, evaluated by an independent IAM policy simulator against concrete requests:
 * what they deny and what they still allow, not our reading of them. (The protection SCP has its
 * own: protect-guard-simulation.test.ts.)
 */
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const STACK = 'EksEndpointGuard';
const SUFFIX = 'AbC123dEf456';
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

const DEVELOPER = `arn:aws:iam::${ACCOUNT}:role/Developer`;
const OPERATOR = `arn:aws:iam::${ACCOUNT}:role/GuardOperator`;

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
    // The fixed name the template gives it (core/guard-names.ts), else the one CloudFormation derives.
    const properties =
      (resources[logical] as { Properties?: Record<string, Json> } | undefined)?.Properties ?? {};
    const fixed = properties.RoleName ?? properties.QueueName ?? properties.Name;
    const name = fixed !== undefined ? String(resolve(fixed)) : `${STACK}-${logical}-${SUFFIX}`;
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
          policies: [{ name: 'FullAWSAccess', policy: ALLOW_ALL }],
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
