import type { EndpointConfig } from '../endpoint';
import type { CheckResult } from '../result';
import { CHAT_LIMITS, type ChatNotification, chatSnsMessage } from './chat';
import { safeClientsCutOff } from './clients';
import { accessOf, changesOf, headlineOf, linksOf, partitionOf, policyFaultOf } from './derive';
import type { Action, AlertFacts } from './fact-types';
import { triggerFacts } from './facts';
import { chatLiteral, chatText, clip, safeLine } from './forms';
import { type AlertJson, AlertJsonSchema, type SnsAttributes } from './json';

/**
 * The chat form of a member's decision on the central bus (DESIGN §12): the alert@2 JSON a member
 * sent as the event's detail, read back into facts and rendered by the one chat renderer. The
 * detail is untrusted input from another account: it is validated with the alert@2 schema, every
 * string in it is made one safe line again, the account and region come from the EventBridge
 * envelope (which EventBridge sets from the sender's credentials), and nothing the detail says
 * becomes a link: the console links are rebuilt from checked values, a cluster ARN that does not
 * name the sender's own account and region is dropped.
 */
export interface EventOrigin {
  /** The envelope's `account`: 12 digits, checked by the caller. */
  account: string;
  /** The envelope's `region`, checked by the caller. */
  region: string;
}

export type CentralChatMessage = { Message: string; MessageAttributes: SnsAttributes };

export type ChatFromDetail =
  | { kind: 'alert'; message: CentralChatMessage }
  /** The detail is not alert@2: a short notice that names the sender and why, and nothing of the detail. */
  | { kind: 'unreadable'; reason: string; message: CentralChatMessage };

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/** The Publish input for the central chat topic for one decision detail. */
export function chatFromDetail(detail: unknown, origin: EventOrigin): ChatFromDetail {
  const parsed = AlertJsonSchema.safeParse(detail);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const reason = safeLine(
      issue ? `${issue.path.join('.') || '(detail)'}: ${issue.message}` : 'not an alert@2 object',
      200,
    );
    return { kind: 'unreadable', reason, message: unreadableMessage(origin, reason) };
  }
  return { kind: 'alert', message: chatSnsMessage(factsFromAlertJson(parsed.data, origin)) };
}

/**
 * The facts of an alert@2 object, as far as chat needs them, with the sender's account and region.
 * Derived parts (headline, changes, access, links) are derived again here from the checked values,
 * by the same functions the member used, rather than taken on the sender's word.
 */
export function factsFromAlertJson(json: AlertJson, origin: EventOrigin): AlertFacts {
  const { account, region } = origin;
  const cluster = safeLine(json.cluster, 100);
  const clusterArn = ownClusterArn(json.clusterArn, origin, cluster);
  const before = json.before && endpointConfig(json.before);
  const after = json.after && endpointConfig(json.after);
  const trigger = triggerFacts(json.trigger);
  const status = json.status;
  const reason = safeLine(json.reason);
  const fix = json.fix === undefined ? undefined : safeLine(json.fix);
  const update = json.update && {
    ...(json.update.id && { id: safeLine(json.update.id, 128) }),
    ...(json.update.status && { status: safeLine(json.update.status, 32) }),
    errors: json.update.errors.map((e) => ({ code: safeLine(e.code, 64), message: safeLine(e.message) })),
  };
  // The decision as far as the derivations read it: checked values only.
  const result: CheckResult = {
    cluster,
    region,
    account,
    ...(clusterArn && { clusterArn }),
    outcome: json.outcome,
    reason,
    time: safeLine(json.time, 40),
    correlationId: safeLine(json.correlationId, 128),
    trigger: { source: trigger.source, byGuard: trigger.byGuard },
    attempt: json.attempt,
    ...(before && { before }),
    ...(after && { after }),
    ...(fix !== undefined && { fix }),
    ...(update?.status && { updateStatus: update.status }),
  };
  const changes = status === 'open' ? changesOf(before, after) : [];
  const facts: AlertFacts = {
    status,
    outcome: json.outcome,
    severity: json.severity,
    cluster,
    account,
    region,
    partition: partitionOf(clusterArn),
    time: result.time,
    correlationId: result.correlationId,
    reason,
    headline: { kind: 'other', reason },
    trigger,
    attempt: json.attempt,
    changes,
    mood: status === 'open' ? moodOf(json.outcome) : 'none',
    rules: [...new Set(json.rules.map((r) => r.rule))],
    violations: json.violations.flatMap((v) =>
      v.rule === 'check'
        ? []
        : [
            {
              rule: v.rule,
              reason: safeLine(v.reason),
              ...(v.offendingCidrs && { offendingCidrs: v.offendingCidrs.map((c) => safeLine(c, 64)) }),
            },
          ],
    ),
    access: [],
    actions: [],
    links: linksOf(result, trigger),
  };
  if (clusterArn) facts.clusterArn = clusterArn;
  if (before) facts.before = before;
  if (after) facts.after = after;
  if (json.policy) {
    const { source, version, digest, mode, rule } = json.policy;
    facts.policy = {
      source: safeLine(source, 2048),
      version,
      digest: safeLine(digest, 128),
      mode,
      rule: safeLine(rule, 1000),
      exemptionTag: null,
    };
  }
  if (json.exemption) {
    facts.exemption = {
      source: json.exemption.source,
      reason: safeLine(json.exemption.reason, 256),
      ...(json.exemption.expires && { expires: safeLine(json.exemption.expires, 32) }),
    };
  }
  if (fix !== undefined) facts.fix = fix;
  if (update) facts.update = update;
  if (json.escalation) {
    const { actorArn, remediations, windowMinutes } = json.escalation;
    facts.escalation = {
      remediations,
      windowMinutes,
      ...(actorArn && { actorArn: safeLine(actorArn, 256) }),
    };
  }
  const policyFault = json.outcome === 'failed' ? policyFaultOf(reason) : undefined;
  if (policyFault) facts.policyFault = policyFault;
  // The member's word on its own audit log: every string made safe again, the counts as sent.
  if (json.clientsCutOff && status === 'open') {
    facts.clientsCutOff = safeClientsCutOff(cutOffOfJson(json.clientsCutOff));
  }
  if (status === 'resolved') {
    facts.headline = json.resolves ? { kind: 'resolved', resolves: json.resolves } : { kind: 'resolved' };
    if (json.resolves) facts.resolves = json.resolves;
  } else {
    facts.headline = headlineOf(result, facts);
    facts.access = accessOf(result, changes);
    facts.actions = json.actions.map(safeAction);
  }
  return facts;
}

/**
 * A decision event whose detail the central cannot read: from which account and region, and the
 * first problem the schema found. Critical, because what the member decided cannot be told.
 */
function unreadableMessage(origin: EventOrigin, reason: string): CentralChatMessage {
  const title = `Unreadable decision event from account ${origin.account}`;
  const notification: ChatNotification = {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: clip(chatText(title), CHAT_LIMITS.title),
      description: clip(
        [
          chatText(
            'A member guard sent a decision the central account cannot read as an alert@2 object; nothing of it is shown here.',
          ),
          '',
          `*${chatText('Account')}*: ${chatLiteral(origin.account)}`,
          `*${chatText('Region')}*: ${chatLiteral(origin.region)}`,
          `*${chatText('Problem')}*: ${chatLiteral(reason)}`,
        ].join('\n'),
        CHAT_LIMITS.description,
      ),
      nextSteps: [
        chatText('Check that the member runs the same guard version as the central stack.'),
        `${chatText('Read the event on the central audit table:')} ${chatLiteral(`eks-endpoint-guard audit --account ${origin.account}`)}`,
      ],
      keywords: ['eks-endpoint-guard', 'unreadable', 'critical', origin.region],
    },
    metadata: {
      threadId: clip(`eks-endpoint-guard/${origin.account}/${origin.region}`, CHAT_LIMITS.threadId),
      summary: clip(title, CHAT_LIMITS.summary),
      eventType: 'eks-endpoint-guard-unreadable',
      additionalContext: {
        status: 'open',
        severity: 'critical',
        account: origin.account,
        region: origin.region,
      },
    },
  };
  const attribute = (value: string) => ({ DataType: 'String' as const, StringValue: value });
  return {
    Message: JSON.stringify(notification),
    MessageAttributes: {
      outcome: attribute('unreadable'),
      cluster: attribute('-'),
      severity: attribute('critical'),
      status: attribute('open'),
    },
  };
}

/** The JSON form read back as the facts type wants it: optional fields absent, never undefined. */
function cutOffOfJson(
  json: NonNullable<AlertJson['clientsCutOff']>,
): NonNullable<AlertFacts['clientsCutOff']> {
  const { clients, since, until, ...rest } = json;
  const optional = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return {
    ...(optional as Omit<NonNullable<AlertFacts['clientsCutOff']>, 'clients' | 'since' | 'until'>),
    clients:
      clients === 'unknown'
        ? 'unknown'
        : clients.map(({ moreUsers, moreUserAgents, ...client }) => ({
            ...client,
            ...(moreUsers ? { moreUsers } : {}),
            ...(moreUserAgents ? { moreUserAgents } : {}),
          })),
    since,
    until,
  };
}

function moodOf(outcome: AlertJson['outcome']): AlertFacts['mood'] {
  if (outcome === 'remediated') return 'did';
  return outcome === 'would-remediate' ? 'would' : 'none';
}

/** The detail's cluster ARN only when it names this cluster in the sender's own account and region. */
function ownClusterArn(arn: string | undefined, origin: EventOrigin, cluster: string): string | undefined {
  if (!arn || !CLUSTER_NAME.test(cluster)) return undefined;
  const partition = partitionOf(arn);
  return arn === `arn:${partition}:eks:${origin.region}:${origin.account}:cluster/${cluster}`
    ? arn
    : undefined;
}

function endpointConfig(config: EndpointConfig): EndpointConfig {
  return {
    publicAccess: config.publicAccess,
    privateAccess: config.privateAccess,
    publicAccessCidrs: config.publicAccessCidrs.map((c) => safeLine(c, 64)),
  };
}

function safeAction(action: AlertJson['actions'][number]): Action {
  switch (action.kind) {
    case 'remove-exemption':
      return {
        kind: action.kind,
        source: action.source,
        reason: safeLine(action.reason, 256),
        ...(action.expires && { expires: safeLine(action.expires, 32) }),
      };
    case 'fix-policy':
      return { kind: action.kind, parameter: safeLine(action.parameter, 256) };
    case 'fix-blocked':
    case 'before-enforcing':
      return { kind: action.kind, fix: safeLine(action.fix) };
    case 'fix-reapplier':
      return { kind: action.kind };
    case 'request-exception':
      return {
        kind: action.kind,
        tag: safeLine(action.tag, 128),
        parameter: safeLine(action.parameter, 256),
      };
  }
}
