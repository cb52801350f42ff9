import type { Node } from 'constructs';
import { PolicyError } from '../functions/core/policy/policy';
import { AlertChannelsConfigError } from './alert-channels';
import { cfnHookFromContext } from './cfn-hook';
import { EndpointGuardStack, type EndpointGuardStackProps, GuardConfigError } from './stack';
import { applyStandards, synthesise } from './synth';

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

function main(): void {
  synthesise(
    (app) => {
      // Environment-agnostic: deploys to the account and region of the caller's credentials.
      new EndpointGuardStack(app, 'EksEndpointGuard', {
        ...propsFromContext(app.node),
        description:
          'eks-endpoint-guard: keeps EKS API server endpoints compliant with the organisation policy',
      });
      applyStandards(app);
    },
    [PolicyError, GuardConfigError, AlertChannelsConfigError],
  );
}

if (require.main === module) main();
