import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { READABLE_DECISION_DETAIL } from '../../functions/core/central-notice';
import { DECISION_DETAIL_TYPE, SWEEP_DETAIL_TYPE } from '../../functions/core/decision-event';

export interface MemberEventRulesProps {
  readonly bus: events.IEventBus;
  /** The members' sources, `eks-endpoint-guard.<region>` for each StackSet region. */
  readonly sources: string[];
  readonly recorder: lambda.IFunction;
  readonly topic: sns.ITopic;
  readonly deadLetters: sqs.IQueue;
}

/**
 * The central bus's rules for the members' events (ids `DecisionRule`, `DecisionAlertRule`,
 * `SweepRule`): every decision and heartbeat to the recorder, and the decisions the e-mail can show
 * to the alert topic, as text. A decision it cannot show reaches people as the recorder's notice,
 * at most once per account per hour, never as one e-mail per event.
 */
export function memberEventRules(
  scope: Construct,
  props: MemberEventRulesProps,
): { decisions: events.Rule; target: targets.LambdaFunctionProps } {
  const { bus, sources } = props;
  const target = { deadLetterQueue: props.deadLetters, maxEventAge: Duration.hours(24), retryAttempts: 20 };
  const decisions = new events.Rule(scope, 'DecisionRule', {
    eventBus: bus,
    description: 'Member decisions: to the central audit table',
    eventPattern: { source: sources, detailType: [DECISION_DETAIL_TYPE] },
    targets: [new targets.LambdaFunction(props.recorder, target)],
  });
  new events.Rule(scope, 'DecisionAlertRule', {
    eventBus: bus,
    description: 'Readable member decisions: to the organisation alert topic',
    eventPattern: { source: sources, detailType: [DECISION_DETAIL_TYPE], detail: READABLE_DECISION_DETAIL },
    targets: [new targets.SnsTopic(props.topic, { ...target, message: readableAlert() })],
  });
  new events.Rule(scope, 'SweepRule', {
    eventBus: bus,
    description: 'Member sweep heartbeats: to the central audit table (last sweep per account-region)',
    eventPattern: { source: sources, detailType: [SWEEP_DETAIL_TYPE] },
    targets: [new targets.LambdaFunction(props.recorder, target)],
  });
  return { decisions, target };
}

/**
 * What the topic delivers for a member's decision: a text people can read, not the EventBridge
 * envelope. EventBridge fills it in itself (an input transformer), so the alert reaches the topic
 * even when the recorder function fails, and no code renders the untrusted detail. The account
 * comes from the envelope, which EventBridge sets from the sender's credentials; the region from the
 * source (`eks-endpoint-guard.<region>`), which the bus policy binds to that region's guard role
 * (the envelope's own `region` is the bus's); the other fields are ones every alert JSON form carries.
 */
export function readableAlert(): events.RuleTargetInput {
  const field = events.EventField.fromPath;
  return events.RuleTargetInput.fromText(
    [
      `EKS endpoint guard: ${field('$.detail.outcome')} (${field('$.detail.severity')})`,
      `Cluster ${field('$.detail.cluster')} in account ${field('$.account')}, sent by ${field('$.source')}`,
      `${field('$.detail.reason')}`,
      `Time ${field('$.detail.time')}, correlation id ${field('$.detail.correlationId')}.`,
      `Details: eks-endpoint-guard audit --account ${field('$.account')} --cluster ${field('$.detail.cluster')}, on the central audit table.`,
    ].join('\n'),
  );
}
