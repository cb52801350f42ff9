import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, type AppProps } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { EndpointGuardStackProps } from '../../infra/stack';

/** The feature flags `cdk synth` uses: a bare `new App()` does not read cdk.json. */
const CDK_JSON_CONTEXT = JSON.parse(
  readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'),
).context;

/**
 * An app with the project's feature flags. Bundling is skipped unless asked for: template
 * tests must not depend on the state of the function code.
 */
export function newApp(options: { bundle?: boolean; outdir?: string } = {}): App {
  const props: AppProps = {
    context: { ...CDK_JSON_CONTEXT, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
    outdir: options.outdir,
  };
  return new App(props);
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Renders an intrinsic as text: `{Ref: X}` → `${X}`, GetAtt → `${X.Arn}`, Join → concatenation. */
export function show(value: Json): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    if ('Ref' in value) return `\${${value.Ref}}`;
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `\${${getAtt.join('.')}}`;
    const join = value['Fn::Join'];
    if (Array.isArray(join)) return (join[1] as Json[]).map(show).join(join[0] as string);
  }
  return JSON.stringify(value);
}

/** The logical id of the one resource of `type` whose id is `prefix` plus the CDK hash. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) =>
    new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id),
  );
  if (ids.length !== 1)
    throw new Error(`expected one ${type} named ${prefix}*, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}

export interface Statement {
  where: string;
  Sid?: string;
  Effect: string;
  Action: string[];
  Resource: string[];
  Principal?: Json;
  Condition?: Json;
}

/** Every statement of every policy document anywhere in the template (IAM, key, queue, topic, bucket). */
export function allStatements(template: Template): Statement[] {
  const found: Statement[] = [];
  const visit = (node: Json, where: string): void => {
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        visit(child, `${where}[${index}]`);
      });
      return;
    }
    if (!node || typeof node !== 'object') return;
    const statements = node.Statement;
    if (Array.isArray(statements)) {
      for (const raw of statements as { [key: string]: Json }[]) {
        found.push({
          where,
          ...(typeof raw.Sid === 'string' ? { Sid: raw.Sid } : {}),
          Effect: String(raw.Effect),
          Action: asList(raw.Action).map(show),
          Resource: asList(raw.Resource).map(show),
          Principal: raw.Principal,
          Condition: raw.Condition,
        });
      }
    }
    for (const [key, child] of Object.entries(node)) visit(child, where ? `${where}.${key}` : key);
  };
  visit(template.toJSON().Resources, '');
  return found;
}

/** Allowed action → sorted resources, over all identity policies attached to a role. */
export function roleGrants(template: Template, roleId: string): Record<string, string[]> {
  const grants: Record<string, Set<string>> = {};
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleId }] },
  });
  for (const [id, policy] of Object.entries(policies)) {
    const stub = { toJSON: () => ({ Resources: { [id]: policy } }) } as unknown as Template;
    for (const statement of allStatements(stub).filter((s) => s.Effect === 'Allow')) {
      for (const action of statement.Action) {
        grants[action] ??= new Set();
        for (const resource of statement.Resource) grants[action].add(resource);
      }
    }
  }
  return Object.fromEntries(
    Object.entries(grants)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([action, resources]) => [action, [...resources].sort()]),
  );
}

function asList(value: Json | undefined): Json[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The Deny statements that restrict who may use the guard's queues (infra/guard-queues.ts). */
export const QUEUE_WRITER_DENIES = [
  'OnlyTheGuardRoleUsesThisQueue',
  'OnlyTheGuardRoleAndRulesSendHere',
  'NobodySendsHere',
  'OnlyTheGuardAndOperatorTakeDeadLetters',
  'OnlyTheGuardAndOperatorTakeRecheckDeadLetters',
];

/** A Deny that refuses every request without TLS (what `enforceSSL` adds). */
export function isTlsOnlyDeny(statement: Statement): boolean {
  return JSON.stringify(statement.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } });
}

/** Every alert option on (DESIGN §10): chat channels, a webhook with a severity filter, Security Hub. */
export const WITH_CHANNELS: EndpointGuardStackProps = {
  slackChannels: [{ workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' }],
  teamsChannels: [
    {
      teamId: '00000000-0000-4000-8000-000000000001',
      channelId: '19:abc@thread.tacv2',
      tenantId: '00000000-0000-4000-8000-000000000002',
    },
  ],
  webhooks: [{ url: 'https://events.pager.example/integration/abc', severities: ['critical'] }],
  securityHub: true,
};

/** Alerts published into an existing (central) topic and its key. */
export const WITH_EXISTING_TOPIC: EndpointGuardStackProps = {
  alertTopicArn: 'arn:aws:sns:eu-west-1:444455556666:central-alerts',
  alertTopicKeyArn: 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab',
};
