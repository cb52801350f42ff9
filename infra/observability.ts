import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OUTCOMES, type Outcome } from '../functions/core/outcome';

/** Where the function's Powertools metrics land (POWERTOOLS_METRICS_NAMESPACE). */
export const METRICS_NAMESPACE = 'EksEndpointGuard';
/** POWERTOOLS_SERVICE_NAME: also the `service` dimension of every guard metric. */
export const SERVICE_NAME = 'eks-endpoint-guard';

/** The period of the alarms, and of every dashboard graph that shows an alarmed metric. */
export const ALARM_PERIOD = Duration.minutes(5);
/** Remediations are rare: percentiles over an hour say more than a dot every few days. */
const LATENCY_PERIOD = Duration.hours(1);

/**
 * Metric definitions shared by the alarms and the dashboard, so that a graph shows exactly
 * what an alarm evaluates. No labels here: a label turns an alarm's metric into a metric
 * query; the dashboard adds them with `metric.with({ label })`.
 */
export const guardMetrics = {
  /** Decisions with one outcome word, counted per alarm period. */
  decisions(outcome: Outcome): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: 'Decisions',
      dimensionsMap: { service: SERVICE_NAME, outcome },
      statistic: 'Sum',
      period: ALARM_PERIOD,
    });
  },

  /** A metric the function emits with only the `service` dimension. */
  service(metricName: string, statistic: string, options: { period?: Duration; label?: string } = {}) {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: SERVICE_NAME },
      statistic,
      period: options.period ?? ALARM_PERIOD,
      label: options.label ?? metricName,
    });
  },

  /** Alerts that could not be published (each is queued and retried; the count says SNS is failing). */
  alertFailures(): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: 'AlertFailures',
      dimensionsMap: { service: SERVICE_NAME },
      statistic: 'Sum',
      period: ALARM_PERIOD,
    });
  },

  /** Messages waiting in a dead-letter queue: the highest count in the period. */
  queueDepth(queue: sqs.IQueue): cloudwatch.Metric {
    return queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: ALARM_PERIOD });
  },

  functionErrors(fn: lambda.IFunction): cloudwatch.Metric {
    return fn.metricErrors({ statistic: 'Sum', period: ALARM_PERIOD });
  },
};

export interface GuardObservabilityProps {
  readonly fn: lambda.IFunction;
  /** The function's log group, which the saved queries and the log widget read. */
  readonly logGroup: logs.ILogGroup;
  readonly deadLetters: sqs.IQueue;
  readonly recheckDeadLetters: sqs.IQueue;
  /** Shown as one status widget at the top of the dashboard. */
  readonly alarms: cloudwatch.IAlarm[];
  /** Drawn as a line on the duration graph. */
  readonly functionTimeout: Duration;
  /** false: the saved queries only (organisation mode: the central account has the dashboard). */
  readonly dashboard?: boolean;
}

/** Log lines of decisions carry the trigger; delivery-failure lines repeat the outcome without it. */
const DECISION_LINE = 'ispresent(trigger.source)';

/** Logs Insights queries on the function's log group, saved under `eks-endpoint-guard/`. */
export const SAVED_QUERIES = {
  remediations: new logs.QueryString({
    fields: [
      '@timestamp',
      'cluster',
      'region',
      'reason',
      'updateId',
      'updateStatus',
      'trigger.actorArn',
      'trigger.eventName',
      'correlationId',
    ],
    filterStatements: [`outcome = "remediated" and ${DECISION_LINE}`],
    sort: '@timestamp desc',
    limit: 1000,
  }),
  'failures-and-blocks': new logs.QueryString({
    fields: [
      '@timestamp',
      'cluster',
      'region',
      'outcome',
      'reason',
      'correlationId',
      'attempt',
      'trigger.source',
      'trigger.actorArn',
    ],
    filterStatements: [`outcome in ["failed", "blocked"] and ${DECISION_LINE}`],
    sort: '@timestamp desc',
    limit: 1000,
  }),
  'changes-by-actor': new logs.QueryString({
    filterStatements: ['trigger.source = "event"'],
    statsStatements: ['count(*) as decisions by trigger.actorArn, outcome'],
    sort: 'decisions desc',
  }),
} as const;

/**
 * The operator's view of the guard: one dashboard (decisions, latency, dead letters, the
 * function, delivery failures, deferrals) and the saved Logs Insights queries.
 */
export class GuardObservability extends Construct {
  /** Absent with `dashboard: false`. */
  readonly dashboard?: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: GuardObservabilityProps) {
    super(scope, id);

    for (const [name, query] of Object.entries(SAVED_QUERIES)) {
      const pascal = name.replace(/(?:^|-)(\w)/g, (_, first: string) => first.toUpperCase());
      new logs.QueryDefinition(this, `${pascal}Query`, {
        queryDefinitionName: `${SERVICE_NAME}/${name}`,
        queryString: query,
        logGroups: [props.logGroup],
      });
    }

    if (props.dashboard === false) return;
    // Dashboard names are unique per account, not per region: the region keeps them apart.
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${SERVICE_NAME}-${Aws.REGION}`,
      defaultInterval: Duration.days(7),
    });
    this.dashboard = dashboard;

    const { fn } = props;
    const half = { width: 12, height: 6 };
    const third = { width: 8, height: 6 };
    const count = { min: 0, showUnits: false };
    const ms = { min: 0, label: 'ms', showUnits: false };
    const service = guardMetrics.service;

    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 24, height: 3 }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        ...half,
        title: 'Decisions by outcome',
        left: OUTCOMES.map((outcome) => guardMetrics.decisions(outcome).with({ label: outcome })),
        leftYAxis: count,
      }),
      new cloudwatch.GraphWidget({
        ...half,
        title: 'Remediation latency and time to compliance',
        left: (['RemediationLatency', 'TimeToCompliance'] as const).flatMap((name) =>
          ['p50', 'p95'].map((stat) =>
            service(name, stat, { period: LATENCY_PERIOD, label: `${name} ${stat}` }),
          ),
        ),
        leftYAxis: ms,
        // Replayed or backlogged events (older than CloudTrail's delivery window) are not latency.
        right: [service('LateEvents', 'Sum', { period: LATENCY_PERIOD, label: 'LateEvents' })],
        rightYAxis: count,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        ...third,
        title: 'Dead-letter queue depth',
        left: [
          guardMetrics.queueDepth(props.deadLetters).with({ label: 'dead-letter queue' }),
          guardMetrics.queueDepth(props.recheckDeadLetters).with({ label: 'recheck dead-letter queue' }),
        ],
        leftYAxis: count,
        leftAnnotations: [{ value: 1, label: 'alarm', color: cloudwatch.Color.RED }],
      }),
      new cloudwatch.GraphWidget({
        ...third,
        title: 'Function invocations, errors and throttles',
        left: [
          fn.metricInvocations({ statistic: 'Sum', period: ALARM_PERIOD, label: 'Invocations' }),
          guardMetrics.functionErrors(fn).with({ label: 'Errors' }),
          fn.metricThrottles({ statistic: 'Sum', period: ALARM_PERIOD, label: 'Throttles' }),
        ],
        leftYAxis: count,
      }),
      new cloudwatch.GraphWidget({
        ...third,
        title: 'Function duration',
        left: ['p50', 'p95', 'Maximum'].map((statistic) =>
          fn.metricDuration({ statistic, period: ALARM_PERIOD, label: `Duration ${statistic}` }),
        ),
        leftYAxis: ms,
        leftAnnotations: [{ value: props.functionTimeout.toMilliseconds(), label: 'timeout' }],
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        ...half,
        title: 'Delivery failures (alert, audit record, re-check)',
        left: ['AlertFailures', 'AuditFailures', 'RecheckFailures'].map((name) => service(name, 'Sum')),
        leftYAxis: count,
      }),
      new cloudwatch.GraphWidget({
        ...half,
        title: 'Deferrals',
        left: [service('Deferrals', 'Sum')],
        right: [service('DeferralAttempt', 'Maximum', { label: 'highest attempt' })],
        leftYAxis: count,
        rightYAxis: count,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.LogQueryWidget({
        title: 'Failed and blocked decisions',
        logGroupNames: [props.logGroup.logGroupName],
        queryString: SAVED_QUERIES['failures-and-blocks'].toString(),
        view: cloudwatch.LogQueryVisualizationType.TABLE,
        width: 24,
        height: 6,
      }),
    );
  }
}
