import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { type ProtectMode, renderProtectionScp } from '../../functions/core/protect-guard';
import { EndpointGuardStack } from '../../infra/stack';
import { newApp } from './helpers';
import { ORG_CONTEXT, orgApp } from './org/support';
import { underScp } from './scp-simulation';

/**
 * Issue 19, finding 4: the protection SCP named `EksEndpointGuard-*` resources, which a StackSet
 * instance (`StackSet-eks-endpoint-guard-<uuid>`) never has, and the member's role had no fixed
 * name: an administrator of a member account could disable the rule or set the function's
 * concurrency to 0. The SCP `policy scp --protect-guard` renders is evaluated here by an independent
 * IAM policy simulator against the names in the synthesised single-account and member templates.
 */
const ACCOUNT = '444455556666';
const REGION = 'eu-west-1';
const SUFFIX = 'AbC123dEf456';
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/AWSReservedSSO_AdministratorAccess_0123456789abcdef`;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Resources = Record<string, { Type: string; Properties?: Record<string, Json> }>;

interface Deployed {
  mode: ProtectMode;
  /** The stack as CloudFormation names it, the start of every name it derives. */
  stack: string;
  deployer: string;
  resources: Resources;
}

let single: Deployed;
let member: Deployed;

beforeAll(() => {
  // Prepare: the templates as synthesised, the single-account stack and the StackSet member
  const template = Template.fromStack(
    new EndpointGuardStack(newApp(), 'EksEndpointGuard', { securityHub: true }),
  );
  single = {
    mode: 'single',
    stack: 'EksEndpointGuard',
    deployer: `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`,
    resources: template.toJSON().Resources,
  };
  const directory = orgApp({ ...ORG_CONTEXT, securityHub: 'true' }).synth().directory;
  member = {
    mode: 'organization',
    stack: 'StackSet-eks-endpoint-guard-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
    deployer: `arn:aws:iam::${ACCOUNT}:role/stacksets-exec-0123456789abcdef0123456789abcdef`,
    resources: JSON.parse(
      readFileSync(path.join(directory, 'stackset-member', 'Member.template.json'), 'utf8'),
    ).Resources,
  };
}, 120_000);

/** A template value with its intrinsics replaced by what CloudFormation would put there. */
function resolve(value: Json): Json {
  if (Array.isArray(value)) return value.map(resolve);
  if (!value || typeof value !== 'object') return value;
  if (value.Ref === 'AWS::Region') return REGION;
  if (value.Ref === 'AWS::AccountId') return ACCOUNT;
  const join = value['Fn::Join'];
  if (Array.isArray(join)) return (join[1] as Json[]).map(resolve).join(String(join[0]));
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

/** The name of each resource of a type: the fixed one in the template, else the one CloudFormation derives. */
function names(deployed: Deployed, type: string, property: string): string[] {
  return Object.entries(deployed.resources)
    .filter(([, r]) => r.Type === type)
    .map(([logical, r]) =>
      r.Properties?.[property] !== undefined
        ? String(resolve(r.Properties[property] as Json))
        : `${deployed.stack}-${logical}-${SUFFIX}`,
    );
}

function arns(deployed: Deployed) {
  const one = (list: string[]) => {
    if (list.length !== 1) throw new Error(`expected one, got ${list.join(', ')}`);
    return list[0] as string;
  };
  return {
    role: `arn:aws:iam::${ACCOUNT}:role/${one(names(deployed, 'AWS::IAM::Role', 'RoleName').filter((n) => n.startsWith('eks-endpoint-guard')))}`,
    fn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${one(names(deployed, 'AWS::Lambda::Function', 'FunctionName'))}`,
    rules: names(deployed, 'AWS::Events::Rule', 'Name').map(
      (n) => `arn:aws:events:${REGION}:${ACCOUNT}:rule/${n}`,
    ),
    queues: names(deployed, 'AWS::SQS::Queue', 'QueueName').map(
      (n) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${n}`,
    ),
    table: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${one(names(deployed, 'AWS::DynamoDB::Table', 'TableName'))}`,
    topic: `arn:aws:sns:${REGION}:${ACCOUNT}:${one(names(deployed, 'AWS::SNS::Topic', 'TopicName'))}`,
    product: `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`,
  };
}

type Ask = [action: string, resource: string, context?: Record<string, string>];

async function decide(
  deployed: Deployed,
  principal: string,
  [action, resource, context]: Ask,
): Promise<string> {
  const scp = renderProtectionScp({ mode: deployed.mode }).document;
  return underScp(
    { principal, action, resource, account: ACCOUNT, ...(context ? { context } : {}) },
    { name: 'ProtectGuard', policy: scp },
  );
}

/** What a member account's administrator would do to switch the guard off or speak in its name. */
function attacks(deployed: Deployed): Ask[] {
  const a = arns(deployed);
  const memberRole = `arn:aws:iam::${ACCOUNT}:role/eks-endpoint-guard-member-${REGION}`;
  return [
    ...a.rules.flatMap((rule): Ask[] => [
      ['events:DisableRule', rule],
      ['events:DeleteRule', rule],
      ['events:RemoveTargets', rule],
    ]),
    ['lambda:PutFunctionConcurrency', a.fn],
    ['lambda:UpdateFunctionConfiguration', a.fn],
    ['lambda:UpdateFunctionCode', a.fn],
    ['lambda:DeleteFunction', a.fn],
    [
      'lambda:DeleteEventSourceMapping',
      `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:abc`,
      { 'lambda:FunctionArn': a.fn },
    ],
    ...a.queues.flatMap((queue): Ask[] => [
      ['sqs:SetQueueAttributes', queue],
      ['sqs:PurgeQueue', queue],
      ['sqs:SendMessage', queue],
    ]),
    ['iam:PutRolePolicy', a.role],
    ['iam:AttachRolePolicy', a.role],
    ['iam:UpdateAssumeRolePolicy', a.role],
    ['iam:PassRole', a.role],
    ['iam:DeleteRole', a.role],
    ['iam:TagRole', a.role],
    // Owning the name the central bus admits, in an account or region the guard does not run in yet.
    ['iam:CreateRole', memberRole],
    ['securityhub:BatchImportFindings', a.product],
    ['dynamodb:PutItem', a.table],
    ['sns:Publish', a.topic],
  ];
}

describe.each([
  ['single-account', () => single],
  ['StackSet member', () => member],
])('the protection SCP against the %s template, simulated', (_, deployed) => {
  test("denies the account's administrator disabling the rules, the function (concurrency included), the queue policies, the role and the Security Hub import", async () => {
    // Act
    const decisions = await Promise.all(
      attacks(deployed()).map(async (ask) => [ask[0], ask[1], await decide(deployed(), ADMIN, ask)]),
    );
    // Assess
    for (const [action, resource, decision] of decisions)
      expect({ action, resource, decision }).toEqual({ action, resource, decision: 'ExplicitlyDenied' });
    expect(decisions.length).toBeGreaterThan(25);
  });

  test('allows the guard itself its writes, its queue and its Security Hub import', async () => {
    // Prepare
    const a = arns(deployed());
    const own: Ask[] = [
      ['securityhub:BatchImportFindings', a.product],
      ['dynamodb:PutItem', a.table],
      ['sns:Publish', a.topic],
      ...a.queues.map((queue): Ask => ['sqs:SendMessage', queue]),
    ];
    // Act
    const decisions = await Promise.all(
      own.map(async (ask) => [ask[0], await decide(deployed(), a.role, ask)]),
    );
    // Assess
    for (const [action, decision] of decisions)
      expect({ action, decision }).toEqual({ action, decision: 'Allowed' });
  });

  test('allows the deployer (the StackSet execution role, or the CDK execution role) all of it', async () => {
    // Act
    const decisions = await Promise.all(
      attacks(deployed()).map(async (ask) => [ask[0], await decide(deployed(), deployed().deployer, ask)]),
    );
    // Assess
    for (const [action, decision] of decisions)
      expect({ action, decision }).toEqual({ action, decision: 'Allowed' });
  });

  test("leaves the administrator's other work alone", async () => {
    // Act
    const decisions = await Promise.all(
      (
        [
          ['events:DisableRule', `arn:aws:events:${REGION}:${ACCOUNT}:rule/nightly-report`],
          ['lambda:PutFunctionConcurrency', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:app`],
          ['iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/app-runner`],
          ['sqs:PurgeQueue', `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`],
          ['eks:UpdateClusterConfig', `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/prod-api`],
        ] as Ask[]
      ).map((ask) => decide(deployed(), ADMIN, ask)),
    );
    // Assess
    expect(decisions).toEqual(['Allowed', 'Allowed', 'Allowed', 'Allowed', 'Allowed']);
  });
});
