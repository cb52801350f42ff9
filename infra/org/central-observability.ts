import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { CENTRAL_METRICS_NAMESPACE } from '../../functions/core/central';
import { OUTCOMES } from '../../functions/core/outcome';

/** The central stack's alarms (to the organisation alert topic) and its dashboard. */
export function addCentralAlarms(
  scope: Construct,
  res: {
    topic: sns.ITopic;
    recorder: lambda.IFunction;
    watchdog: lambda.IFunction;
    /** The chat notifier, when the central stack has chat channels. */
    notifier?: lambda.IFunction;
    deadLetters: sqs.IQueue;
  },
): cloudwatch.Alarm[] {
  const action = new SnsAction(res.topic);
  const period = Duration.minutes(5);
  const alarm = (
    id: string,
    description: string,
    metric: cloudwatch.IMetric,
    missing: cloudwatch.TreatMissingData,
  ) => {
    const created = new cloudwatch.Alarm(scope, id, {
      alarmDescription: description,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: missing,
    });
    created.addAlarmAction(action);
    return created;
  };
  return [
    alarm(
      'StaleMembersAlarm',
      'An enrolled account-region sent no sweep within twice its schedule: its guard stopped. The watchdog log names it.',
      new cloudwatch.Metric({
        namespace: CENTRAL_METRICS_NAMESPACE,
        metricName: 'StaleMembers',
        statistic: 'Maximum',
        period: Duration.hours(1),
      }),
      // The watchdog not reporting at all is as bad as a stale member.
      cloudwatch.TreatMissingData.BREACHING,
    ),
    alarm(
      'MissingMembersAlarm',
      'An account-region the member StackSet deploys to sent no sweep within twice the member schedule of being listed: its guard never started (a failed instance, say). The watchdog log names it.',
      new cloudwatch.Metric({
        namespace: CENTRAL_METRICS_NAMESPACE,
        metricName: 'MissingMembers',
        statistic: 'Maximum',
        period: Duration.hours(1),
      }),
      // The stale-members alarm already breaches when the watchdog reports nothing.
      cloudwatch.TreatMissingData.NOT_BREACHING,
    ),
    alarm(
      'RefusedEventsAlarm',
      'The recorder refused member events (an unknown region or source, a sweep in the future, an odd schedule, an unreadable detail): a member out of step, or someone speaking with a guard role. The recorder log says why.',
      new cloudwatch.Metric({
        namespace: CENTRAL_METRICS_NAMESPACE,
        metricName: 'RefusedEvents',
        statistic: 'Sum',
        period: Duration.hours(1),
      }),
      cloudwatch.TreatMissingData.NOT_BREACHING,
    ),
    alarm(
      'CentralDeadLettersAlarm',
      'Member events could not be delivered, or a central function failed on one: see the central dead-letter queue',
      res.deadLetters.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period }),
      cloudwatch.TreatMissingData.NOT_BREACHING,
    ),
    alarm(
      'CentralFunctionErrorsAlarm',
      res.notifier
        ? 'The central recorder, watchdog or chat notifier failed'
        : 'The central recorder or watchdog failed',
      new cloudwatch.MathExpression({
        expression: res.notifier ? 'recorder + watchdog + notifier' : 'recorder + watchdog',
        usingMetrics: {
          recorder: res.recorder.metricErrors({ statistic: 'Sum', period }),
          watchdog: res.watchdog.metricErrors({ statistic: 'Sum', period }),
          ...(res.notifier && { notifier: res.notifier.metricErrors({ statistic: 'Sum', period }) }),
        },
        period,
      }),
      cloudwatch.TreatMissingData.NOT_BREACHING,
    ),
  ];
}

export function addCentralDashboard(
  scope: Construct,
  alarms: cloudwatch.IAlarm[],
  watchdogLogs: logs.ILogGroup,
): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: `eks-endpoint-guard-organisation-${Aws.REGION}`,
    defaultInterval: Duration.days(7),
  });
  const count = { min: 0, showUnits: false };
  dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 24, height: 3 }));
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Decisions across the organisation, by outcome',
      width: 12,
      height: 6,
      left: OUTCOMES.map(
        (outcome) =>
          new cloudwatch.Metric({
            namespace: CENTRAL_METRICS_NAMESPACE,
            metricName: 'Decisions',
            dimensionsMap: { outcome },
            statistic: 'Sum',
            period: Duration.hours(1),
            label: outcome,
          }),
      ),
      leftYAxis: count,
    }),
    new cloudwatch.GraphWidget({
      title: 'Members that stopped sweeping or never reported',
      width: 12,
      height: 6,
      left: [
        new cloudwatch.Metric({
          namespace: CENTRAL_METRICS_NAMESPACE,
          metricName: 'StaleMembers',
          statistic: 'Maximum',
          period: Duration.hours(1),
          label: 'stale account-regions',
        }),
        new cloudwatch.Metric({
          namespace: CENTRAL_METRICS_NAMESPACE,
          metricName: 'MissingMembers',
          statistic: 'Maximum',
          period: Duration.hours(1),
          label: 'account-regions that never reported',
        }),
      ],
      leftYAxis: count,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.LogQueryWidget({
      title: 'Stale and missing members (latest watchdog run)',
      logGroupNames: [watchdogLogs.logGroupName],
      queryLines: [
        'fields @timestamp, members, expected, StaleMembers, stale.0.account, stale.0.region, MissingMembers, missing.0.account, missing.0.region',
        'filter ispresent(StaleMembers)',
        'sort @timestamp desc',
        'limit 24',
      ],
      view: cloudwatch.LogQueryVisualizationType.TABLE,
      width: 24,
      height: 6,
    }),
  );
  return dashboard;
}
