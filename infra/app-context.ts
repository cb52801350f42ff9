import type { Node } from 'constructs';
import { cfnHookFromContext } from './cfn-hook';
import { type EndpointGuardStackProps, GuardConfigError } from './stack';

/**
 * The `-c key=value` / cdk.json context of the one CDK app (infra/app.ts): the keys it knows, a
 * refusal of any other, and the stack props they give. The project's keys are plain camelCase
 * names; a key with ':', '/', '@' or '-' belongs to the CDK (feature flags, aws:cdk:*, cached
 * lookups) and is left alone.
 */

/** The guard's own options, in every shape of the app (single account, regions, organisation). */
export const GUARD_CONTEXT_KEYS = [
  'policyFile',
  'policyParameter',
  'notificationEmails',
  'sweepSchedule',
  'logRetentionDays',
  'createTrail',
  'reservedConcurrency',
  'auditRetentionDays',
  'recheckDeadlineMinutes',
  'digestRetentionDays',
  'decisionBusArn',
  'organizationMode',
  'customerManagedLogKey',
  'slackChannels',
  'teamsChannels',
  'webhooks',
  'securityHub',
  'alertTopicArn',
  'alertTopicKeyArn',
  'deadLetterOperatorRoleArn',
  'cfnHook',
  'cfnHookFailureMode',
  'cfnHookOnError',
  'activeClients',
] as const;

/** Several regions of one account (`-c regions=us-east-1,eu-west-1`), or the organisation's target regions. */
export const REGIONS_KEY = 'regions';

/** The organisation's keys: meaningful only with `-c organizationId=o-…` (docs/ORGANIZATION.md). */
export const ORGANISATION_CONTEXT_KEYS = [
  'organizationId',
  'organizationalUnits',
  'callAs',
  'homeRegion',
  'centralRegion',
  'assetBucketPrefix',
  'centralAccount',
  'managementAccountId',
  'centralNotificationEmails',
  'centralSlackChannels',
  'centralTeamsChannels',
] as const;

const KNOWN = new Set<string>([...GUARD_CONTEXT_KEYS, REGIONS_KEY, ...ORGANISATION_CONTEXT_KEYS]);

/** A key in the project's namespace: letters and digits only (the CDK's own keys never are). */
function isProjectKey(key: string): boolean {
  return /^[A-Za-z][A-Za-z0-9]*$/.test(key);
}

/**
 * Refuses, in one line, a context key of the project's kind that the app does not know (a typo such
 * as `region` for `regions`), listing the known ones, and an organisation key given without
 * organizationId (it would be ignored).
 */
export function checkContextKeys(node: Node): void {
  const context = node.getAllContext() as Record<string, unknown>;
  const unknown = Object.keys(context)
    .filter((key) => isProjectKey(key) && !KNOWN.has(key))
    .sort();
  if (unknown.length > 0) {
    throw new GuardConfigError(
      `unknown context key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: the app knows ${[...KNOWN].join(', ')}`,
    );
  }
  const given = (key: string) => context[key] !== undefined && context[key] !== null && context[key] !== '';
  const stray = ORGANISATION_CONTEXT_KEYS.filter((key) => key !== 'organizationId' && given(key));
  if (!given('organizationId') && stray.length > 0) {
    throw new GuardConfigError(
      `context ${stray.join(', ')}: only for an organisation; give -c organizationId=o-... too, or leave ${stray.length > 1 ? 'them' : 'it'} out`,
    );
  }
}

/** Which shape of the app the context asks for. */
export function appShape(node: Node): 'organisation' | 'regions' | 'account' {
  const has = (key: string) => {
    const value = node.tryGetContext(key);
    return value !== undefined && value !== null && value !== '';
  };
  if (has('organizationId')) return 'organisation';
  return has(REGIONS_KEY) ? 'regions' : 'account';
}

/** Reads the `-c key=value` / cdk.json context into typed stack props. */
export function propsFromContext(node: Node): EndpointGuardStackProps {
  const text = (key: string): string | undefined => {
    const value = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    return String(value).trim();
  };
  const int = (key: string, min: number): number | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    const number = Number(value);
    if (!Number.isInteger(number) || number < min) {
      throw new GuardConfigError(`context ${key}: expected an integer >= ${min}, got "${value}"`);
    }
    return number;
  };
  const bool = (key: string): boolean | undefined => {
    const value = text(key)?.toLowerCase();
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') {
      throw new GuardConfigError(`context ${key}: expected true or false, got "${value}"`);
    }
    return value === 'true';
  };

  const schedule = text('sweepSchedule');
  if (schedule !== undefined && !/^(rate|cron)\(.+\)$/.test(schedule)) {
    throw new GuardConfigError(`context sweepSchedule: expected rate(...) or cron(...), got "${schedule}"`);
  }
  return {
    policyFile: text('policyFile'),
    policyParameter: text('policyParameter'),
    notificationEmails: emailList(node.tryGetContext('notificationEmails')),
    sweepSchedule: schedule,
    logRetentionDays: int('logRetentionDays', 1),
    createTrail: bool('createTrail'),
    reservedConcurrency: int('reservedConcurrency', 1),
    auditRetentionDays: int('auditRetentionDays', 0),
    recheckDeadlineMinutes: int('recheckDeadlineMinutes', 1),
    digestRetentionDays: int('digestRetentionDays', 1),
    decisionBusArn: text('decisionBusArn'),
    organizationMode: bool('organizationMode'),
    customerManagedLogKey: bool('customerManagedLogKey'),
    // Alerts where people work: JSON lists (a string from `-c`, an array from cdk.json).
    slackChannels: jsonList(node, 'slackChannels') as EndpointGuardStackProps['slackChannels'],
    teamsChannels: jsonList(node, 'teamsChannels') as EndpointGuardStackProps['teamsChannels'],
    webhooks: jsonList(node, 'webhooks') as EndpointGuardStackProps['webhooks'],
    securityHub: bool('securityHub'),
    alertTopicArn: text('alertTopicArn'),
    alertTopicKeyArn: text('alertTopicKeyArn'),
    deadLetterOperatorRoleArn: text('deadLetterOperatorRoleArn'),
    cfnHook: cfnHookFromContext(node),
    // e.g. -c 'activeClients={"strategy":"scan","windowHours":12}'; the construct checks each field.
    activeClients: jsonObject(node, 'activeClients') as EndpointGuardStackProps['activeClients'],
  };
}

/** One object from the context: a JSON string from `-c`, an object from cdk.json. */
function jsonObject(node: Node, key: string): object | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  let object = value;
  if (typeof value === 'string') {
    try {
      object = JSON.parse(value);
    } catch {
      throw new GuardConfigError(`context ${key}: not a valid JSON object`);
    }
  }
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw new GuardConfigError(`context ${key}: expected a JSON object`);
  }
  return object;
}

/**
 * A list of objects from the context, e.g. `-c 'webhooks=[{"url":"https://...","severities":["critical"]}]'`.
 * The shapes are checked by the constructs (AlertChannels), which name the field at fault.
 */
function jsonList(node: Node, key: string): object[] | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  let items = value;
  if (typeof value === 'string') {
    try {
      items = JSON.parse(value);
    } catch {
      throw new GuardConfigError(`context ${key}: not a valid JSON array`);
    }
  }
  if (!Array.isArray(items) || !items.every((item) => typeof item === 'object' && item !== null)) {
    throw new GuardConfigError(`context ${key}: expected a JSON array of objects`);
  }
  return items;
}

/** A comma-separated string, a JSON array in a string (from `-c`), or an array (from cdk.json). */
function emailList(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  let items: unknown = value;
  if (typeof value === 'string' && value.trim().startsWith('[')) {
    try {
      items = JSON.parse(value);
    } catch {
      throw new GuardConfigError('context notificationEmails: not a valid JSON array');
    }
  }
  const list = Array.isArray(items) ? items : String(items).split(',');
  const emails = list.map((item) => String(item).trim()).filter(Boolean);
  const invalid = emails.find((email) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email));
  if (invalid !== undefined)
    throw new GuardConfigError(`context notificationEmails: "${invalid}" is not an e-mail address`);
  return [...new Set(emails)];
}
