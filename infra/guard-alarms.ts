import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { guardMetrics } from './observability';

export interface GuardAlarmsOptions {
  readonly fn: lambda.IFunction;
  /** Every alarm notifies this topic. */
  readonly topic: sns.ITopic;
  readonly deadLetters: sqs.IQueue;
  readonly recheckDeadLetters: sqs.IQueue;
}

/**
 * The guard's alarms, created in `scope`, each at one event in one period: dead letters of
 * either kind, function errors, failed decisions and alerts that could not be published.
 */
export function guardAlarms(scope: Construct, options: GuardAlarmsOptions): cloudwatch.Alarm[] {
  const action = new SnsAction(options.topic);
  const alarms: cloudwatch.Alarm[] = [];
  // The dashboard graphs the same metric definitions.
  const alarm = (id: string, description: string, metric: cloudwatch.IMetric) => {
    const created = new cloudwatch.Alarm(scope, id, {
      alarmDescription: description,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    created.addAlarmAction(action);
    alarms.push(created);
  };

  alarm(
    'DeadLettersAlarm',
    'Events, sweeps or invocations failed after all retries: see the dead-letter queue',
    guardMetrics.queueDepth(options.deadLetters),
  );
  alarm(
    'RecheckDeadLettersAlarm',
    'Deferred re-checks failed after all receives: see the recheck dead-letter queue',
    guardMetrics.queueDepth(options.recheckDeadLetters),
  );
  alarm('FunctionErrorsAlarm', 'The remediator function failed', guardMetrics.functionErrors(options.fn));
  alarm(
    'FailedDecisionsAlarm',
    'The guard could not decide or act on a cluster (outcome "failed")',
    guardMetrics.decisions('failed'),
  );
  alarm(
    'AlertFailuresAlarm',
    'Alerts could not be published to the topic; they are queued and retried, but e-mail may lag',
    guardMetrics.alertFailures(),
  );
  return alarms;
}
