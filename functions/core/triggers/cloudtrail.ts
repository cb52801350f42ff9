import type { Trigger } from '../check-request';
import { quote as show } from '../quote';
import {
  ACCOUNT,
  CHECKED_EVENTS,
  CLUSTER_NAME,
  clip,
  compact,
  field,
  fingerprint,
  identifier,
  type Json,
  matching,
  REGION,
  record,
  text,
} from './read';
import { GUARD_TOKEN_PREFIX, type NormalisedItem, type TriggerContext } from './types';

/**
 * True when a CloudTrail record is the guard's own UpdateClusterConfig. The identity decides: an
 * AssumedRole session of the guard's role (any session name), in the role's own account, whose
 * session issuer (when CloudTrail names it) is that role. The token prefix is checked as well but
 * proves nothing alone: whoever calls UpdateClusterConfig chooses the token. Without the role
 * known, nothing is the guard's own.
 */
export function isGuardOwnChange(detail: unknown, guardRoleArn?: string): boolean {
  if (!guardRoleArn || field(detail, 'eventName') !== 'UpdateClusterConfig') return false;
  const identity = field(detail, 'userIdentity');
  if (field(identity, 'type') !== 'AssumedRole') return false;
  const sessionArn = text(field(identity, 'arn'));
  if (!sessionArn || sessionArn === guardRoleArn || !isSessionOfRole(sessionArn, guardRoleArn)) return false;
  const roleAccount = guardRoleArn.split(':')[4];
  const accountId = field(identity, 'accountId');
  if (accountId !== undefined && accountId !== roleAccount) return false;
  const issuer = field(field(field(identity, 'sessionContext'), 'sessionIssuer'), 'arn');
  if (issuer !== undefined && issuer !== guardRoleArn) return false;
  const token = field(field(detail, 'requestParameters'), 'clientRequestToken');
  return typeof token === 'string' && token.startsWith(GUARD_TOKEN_PREFIX);
}

/** `arn:aws:sts::A:assumed-role/R/session` is a session of `arn:aws:iam::A:role/<path/>R`. */
export function isSessionOfRole(principalArn: string | undefined, roleArn: string): boolean {
  if (!principalArn) return false;
  if (principalArn === roleArn) return true;
  const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principalArn);
  const role = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:[^/]+\/)*([^/]+)$/.exec(roleArn);
  return (
    session !== null &&
    role !== null &&
    session[1] === role[1] &&
    session[2] === role[2] &&
    session[3] === role[3]
  );
}

export function fromCloudTrail(
  detail: unknown,
  envelope: Json | undefined,
  context: TriggerContext,
): NormalisedItem {
  const eventId = identifier(field(detail, 'eventID')) ?? identifier(field(envelope, 'id'));
  const correlationId = eventId ?? fingerprint(envelope ?? detail);
  if (!record(detail)) {
    return {
      kind: 'unreadable',
      reason: `event ${eventId ?? correlationId}: detail is not a CloudTrail record`,
      correlationId,
    };
  }
  const eventSource = text(field(detail, 'eventSource'));
  const eventName = text(field(detail, 'eventName'));
  const params = field(detail, 'requestParameters');
  const resource = clusterArnParts(field(params, 'resourceArn'));
  const region =
    matching(REGION, field(detail, 'awsRegion'), field(envelope, 'region'), resource?.region) ??
    context.region;
  const trigger = triggerOf(detail, envelope, eventId);
  // The 2018 record shape names the cluster `clusterName`; tag events name it in the resource ARN.
  const rawName = field(params, 'name') ?? field(params, 'clusterName');
  const cluster = matching(CLUSTER_NAME, rawName, resource?.cluster);
  const ignored = (reason: string, where = region): NormalisedItem =>
    compact({ kind: 'ignored', cluster, region: where, reason, trigger, correlationId });

  const errorCode = text(field(detail, 'errorCode'));
  if (eventSource === 'ssm.amazonaws.com') {
    if (errorCode) return ignored(`the API call failed (${clip(errorCode)}); nothing changed`);
    return fromParameterEvent(detail, eventName, trigger, correlationId, region, context);
  }
  if (eventSource !== 'eks.amazonaws.com') {
    return ignored(
      `${clip(eventName ?? 'an event')} from ${clip(eventSource ?? 'an unknown source')} is not an EKS API call`,
    );
  }
  if (!eventName || !CHECKED_EVENTS.includes(eventName)) {
    return ignored(
      `${clip(eventName ?? 'an EKS event without a name')} does not change endpoint access or exemptions (only ${CHECKED_EVENTS.join(', ')} do)`,
    );
  }
  if (errorCode) return ignored(`the API call failed (${clip(errorCode)}); nothing changed`);
  const foreign = foreignAccount(detail, envelope, context);
  if (foreign) return ignored(foreign);
  const tagEvent = TAG_EVENTS.includes(eventName);
  if (tagEvent && !resource) {
    const arn = text(field(params, 'resourceArn'));
    const kind = arn ? /^arn:[^:]+:eks:[^:]*:[^:]*:([a-z-]+)\//.exec(arn)?.[1] : undefined;
    return ignored(
      `${eventName} on ${kind ? `an EKS ${clip(kind)}` : 'a resource'} that is not a cluster does not change endpoint access or exemptions`,
    );
  }
  if (resource && resource.region !== region) {
    // The cluster is where its ARN says: the guard of that region decides.
    return ignored(`the cluster ARN names ${resource.region}, the event ${region}`, resource.region);
  }
  if (!cluster) {
    return {
      kind: 'unreadable',
      reason: `CloudTrail event ${eventId ?? correlationId}: requestParameters.name: expected a cluster name, got ${show(rawName)}`,
      correlationId,
    };
  }
  const account = matching(
    ACCOUNT,
    field(detail, 'recipientAccountId'),
    field(envelope, 'account'),
    resource?.account,
    context.account,
  );
  const byGuard = isGuardOwnChange(detail, context.guardRoleArn);
  const tagKeys = tagEvent ? tagKeysOf(params) : undefined;
  return {
    kind: 'check',
    request: compact({
      cluster,
      region,
      account,
      trigger: compact({ ...trigger, ...(byGuard && { byGuard }), tagKeys }),
      correlationId,
      attempt: 0,
    }),
  };
}

const TAG_EVENTS = ['TagResource', 'UntagResource'];
const PARAMETER_EVENTS = ['PutParameter', 'DeleteParameter', 'DeleteParameters', 'LabelParameterVersion'];
const EKS_CLUSTER_ARN =
  /^arn:(aws[a-z-]*):eks:([a-z0-9-]+):(\d{12}):cluster\/([0-9A-Za-z][A-Za-z0-9_-]{0,99})$/;

function clusterArnParts(value: unknown): { region: string; account: string; cluster: string } | undefined {
  const match = typeof value === 'string' ? EKS_CLUSTER_ARN.exec(value) : null;
  if (!match) return undefined;
  const [, , region = '', account = '', cluster = ''] = match;
  return { region, account, cluster };
}

/**
 * Why the event is not for this guard's account, or undefined. Every account the event names
 * (the recipient account, the envelope's account, the cluster ARN in the request or the response)
 * must be one and the same, and the guard's own when that is known.
 */
export function foreignAccount(
  detail: unknown,
  envelope: unknown,
  context: TriggerContext,
): string | undefined {
  const arnAccount = (value: unknown) =>
    typeof value === 'string' && value.startsWith('arn:') ? (value.split(':')[4] ?? '') : undefined;
  const named = [
    field(detail, 'recipientAccountId'),
    field(envelope, 'account'),
    arnAccount(field(field(field(detail, 'responseElements'), 'cluster'), 'arn')),
    arnAccount(field(field(detail, 'requestParameters'), 'resourceArn')),
  ].filter((value) => value !== undefined && value !== null);
  const accounts = [...new Set(named.map((value) => (typeof value === 'string' ? value : show(value))))];
  if (accounts.length > 1) {
    return `the event names more than one account (${accounts.map((a) => clip(a, 20)).join(', ')}); nothing is done on its word`;
  }
  const [account] = accounts;
  if (account !== undefined && !ACCOUNT.test(account))
    return `the event's account ${clip(account, 20)} is not an account id`;
  if (account !== undefined && context.account !== undefined && account !== context.account) {
    return `the event is from account ${account}; this guard runs in ${context.account} (deploy it in each account)`;
  }
  return undefined;
}

function tagKeysOf(params: unknown): string[] | undefined {
  const keys = field(params, 'tagKeys');
  const tags = field(params, 'tags');
  const names = Array.isArray(keys) ? keys : record(tags) ? Object.keys(tags) : [];
  const valid = names.filter((k): k is string => typeof k === 'string' && k.length > 0 && k.length <= 128);
  return valid.length > 0 ? valid.slice(0, 50) : undefined;
}

/** A change to the policy parameter is a policy change; a change to any other parameter is not the guard's business. */
function fromParameterEvent(
  detail: Json,
  eventName: string | undefined,
  trigger: Trigger,
  correlationId: string,
  region: string,
  context: TriggerContext,
): NormalisedItem {
  const ignored = (reason: string): NormalisedItem =>
    compact({ kind: 'ignored', region, reason, trigger, correlationId });
  if (!eventName || !PARAMETER_EVENTS.includes(eventName)) {
    return ignored(`${clip(eventName ?? 'an SSM event without a name')} does not change a parameter's value`);
  }
  const parameter = context.policyParameterName;
  const params = field(detail, 'requestParameters');
  const names = [
    field(params, 'name'),
    ...(Array.isArray(field(params, 'names')) ? (field(params, 'names') as unknown[]) : []),
  ];
  const touched = names.filter((n): n is string => typeof n === 'string');
  if (!parameter || !touched.some((name) => sameParameter(name, parameter))) {
    const which = touched.length > 0 ? touched.map((n) => show(n, 40)).join(', ') : 'a parameter';
    return ignored(`${eventName} of ${which}, not the policy parameter`);
  }
  const foreign = foreignAccount(detail, undefined, {
    ...context,
    account: parameterAccount(parameter) ?? context.account,
  });
  if (foreign) return ignored(foreign);
  return { kind: 'policy-change', change: { eventName, parameter }, region, trigger, correlationId };
}

/** `/a/b`, `a/b` and `arn:aws:ssm:R:A:parameter/a/b` name the same parameter. */
export function sameParameter(a: string, b: string): boolean {
  const key = (name: string) => name.replace(/^arn:[^:]+:ssm:[^:]*:[^:]*:parameter/, '').replace(/^\//, '');
  return key(a) === key(b);
}

function parameterAccount(parameter: string): string | undefined {
  const account = parameter.startsWith('arn:') ? parameter.split(':')[4] : undefined;
  return account && ACCOUNT.test(account) ? account : undefined;
}

export function triggerOf(detail: Json, envelope: Json | undefined, eventId: string | undefined): Trigger {
  const identity = field(detail, 'userIdentity');
  return compact({
    source: 'event',
    eventId,
    eventName: text(field(detail, 'eventName')),
    eventTime: text(field(detail, 'eventTime')) ?? text(field(envelope, 'time')),
    // For an assumed role this is the session ARN, which names the person or pipeline behind it.
    actorArn:
      text(field(identity, 'arn')) ??
      text(field(field(field(identity, 'sessionContext'), 'sessionIssuer'), 'arn')) ??
      text(field(identity, 'invokedBy')),
    sourceIp: text(field(detail, 'sourceIPAddress')),
    userAgent: text(field(detail, 'userAgent')),
  });
}

export function otherEventBridge(
  event: Json,
  detailType: string,
  source: string,
  context: TriggerContext,
): NormalisedItem {
  const eventId = identifier(field(event, 'id'));
  return {
    kind: 'ignored',
    region: matching(REGION, field(event, 'region')) ?? context.region,
    reason: `EventBridge event "${clip(detailType)}" from ${clip(source)} is neither a CloudTrail API call nor the sweep schedule`,
    trigger: compact({ source: 'event', eventId, eventTime: text(field(event, 'time')) }),
    correlationId: eventId ?? fingerprint(event),
  };
}
