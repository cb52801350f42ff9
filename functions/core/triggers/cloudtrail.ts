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
 * True when a CloudTrail record is the guard's own UpdateClusterConfig: recognised by its token
 * prefix, or by the actor being the guard's role (its session ARN or the role behind the session).
 */
export function isGuardOwnChange(detail: unknown, guardRoleArn?: string): boolean {
  if (field(detail, 'eventName') !== 'UpdateClusterConfig') return false;
  const token = field(field(detail, 'requestParameters'), 'clientRequestToken');
  if (typeof token === 'string' && token.startsWith(GUARD_TOKEN_PREFIX)) return true;
  if (!guardRoleArn) return false;
  const identity = field(detail, 'userIdentity');
  const issuer = text(field(field(field(identity, 'sessionContext'), 'sessionIssuer'), 'arn'));
  return issuer === guardRoleArn || isSessionOfRole(text(field(identity, 'arn')), guardRoleArn);
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
  const region = matching(REGION, field(detail, 'awsRegion'), field(envelope, 'region')) ?? context.region;
  const trigger = triggerOf(detail, envelope, eventId);
  const params = field(detail, 'requestParameters');
  // The 2018 record shape names the cluster `clusterName`.
  const rawName = field(params, 'name') ?? field(params, 'clusterName');
  const cluster = matching(CLUSTER_NAME, rawName);
  const ignored = (reason: string): NormalisedItem =>
    compact({ kind: 'ignored', cluster, region, reason, trigger, correlationId });

  if (eventSource !== 'eks.amazonaws.com') {
    return ignored(
      `${clip(eventName ?? 'an event')} from ${clip(eventSource ?? 'an unknown source')} is not an EKS API call`,
    );
  }
  if (!eventName || !CHECKED_EVENTS.includes(eventName)) {
    return ignored(
      `${clip(eventName ?? 'an EKS event without a name')} does not change endpoint access (only ${CHECKED_EVENTS.join(' and ')} do)`,
    );
  }
  const errorCode = text(field(detail, 'errorCode'));
  if (errorCode) return ignored(`the API call failed (${clip(errorCode)}); nothing changed`);
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
    context.account,
  );
  const byGuard = isGuardOwnChange(detail, context.guardRoleArn);
  return {
    kind: 'check',
    request: compact({
      cluster,
      region,
      account,
      trigger: byGuard ? { ...trigger, byGuard } : trigger,
      correlationId,
      attempt: 0,
    }),
  };
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
