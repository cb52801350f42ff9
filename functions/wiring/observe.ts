import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ClientsCutOff } from '../core/clients/types';
import { latencySince } from '../core/latency';
import type { CheckResult } from '../core/result';
import type { GuardTelemetry } from '../guard/options';

/**
 * Logs every decision with the outcome words and emits low-cardinality metrics (no cluster
 * names as dimensions): a count per outcome, remediation latency (events within CloudTrail's
 * delivery window only; older ones as LateEvents), deferrals and delivery failures.
 */
/** `decisions`: where each decision is logged (the CLI's is silent unless --verbose: its table shows them). */
export function observer(logger: Logger, metrics: Metrics, decisions: Logger = logger) {
  const telemetry: GuardTelemetry = {
    deliveryFailed(part, result, error) {
      logger.error(`could not deliver the ${part}`, {
        outcome: result.outcome,
        cluster: result.cluster,
        correlationId: result.correlationId,
        error: error as Error,
      });
      const name = { alert: 'AlertFailures', audit: 'AuditFailures', recheck: 'RecheckFailures' }[part];
      metrics.addMetric(name, MetricUnit.Count, 1);
    },
    decisionEventLost(detailType, error) {
      logger.error('could not send or queue an event for the central bus: lost', {
        detailType,
        error: error as Error,
      });
    },
    decisionEventRetry(correlationId, error) {
      logger.error('could not send a queued event to the central bus; the queue redelivers it', {
        correlationId,
        error: error as Error,
      });
    },
    sealed(outcome) {
      logger.info('sealed the audit records into digests', {
        digests: outcome.digests.map((d) => ({ key: d.key, records: d.records })),
      });
    },
    sealFailed(error) {
      logger.error('could not seal the audit records into a digest; the next sweep tries again', {
        error: error as Error,
      });
      metrics.addMetric('DigestFailures', MetricUnit.Count, 1);
    },
    alertRetry(correlationId, error) {
      logger.error('could not publish a queued alert; the queue redelivers it', {
        correlationId,
        error: error as Error,
      });
      metrics.addMetric('AlertFailures', MetricUnit.Count, 1);
    },
    unprovenRecord(kind, messageId) {
      // A record that claimed the guard's privileges without being a message of its queue: a forgery.
      logger.warn('a queue record SQS did not confirm claimed the guard privileges; demoted', {
        kind,
        messageId,
      });
      metrics.addMetric('UnprovenQueueRecords', MetricUnit.Count, 1);
    },
  };

  function observe(result: CheckResult): void {
    const level = result.outcome === 'failed' ? 'error' : result.outcome === 'blocked' ? 'warn' : 'info';
    decisions[level](`${result.cluster}: ${result.outcome}`, {
      outcome: result.outcome,
      reason: result.reason,
      cluster: result.cluster,
      region: result.region,
      correlationId: result.correlationId,
      attempt: result.attempt,
      trigger: result.trigger,
      updateId: result.updateId,
      updateStatus: result.updateStatus,
      alertMessageId: result.alertMessageId,
      ...(result.clientsCutOff && { clientsCutOff: cutOffSummary(result.clientsCutOff) }),
      ...(result.finishedFromQueue && { finishedFromQueue: true }),
    });

    // The same decision, made and counted earlier: its delivery finished from the queue.
    if (result.finishedFromQueue) return;
    const perOutcome = metrics.singleMetric();
    perOutcome.addDimension('outcome', result.outcome);
    perOutcome.addMetric('Decisions', MetricUnit.Count, 1);

    // Logs Insights bills by bytes scanned: each look-up's bytes are counted once, not per reuse.
    const scanned = result.clientsCutOff;
    if (scanned?.bytesScanned !== undefined && !scanned.reused) {
      metrics.addMetric('AuditLogBytesScanned', MetricUnit.Bytes, scanned.bytesScanned);
    }
    if (result.outcome === 'deferred') {
      metrics.addMetric('Deferrals', MetricUnit.Count, 1);
      metrics.addMetric('DeferralAttempt', MetricUnit.Count, result.attempt + 1);
    }
    if (result.outcome === 'remediated') latency(result);
  }

  /**
   * RemediationLatency on the decision that issued the update, TimeToCompliance on the one that saw
   * it Successful: both from the trigger's event time, and only for an event that was within
   * CloudTrail's delivery window when the update was issued. An older one (a replay, a backlog) is
   * counted once, as LateEvents, on the decision that acted on it.
   */
  function latency(result: CheckResult): void {
    const followed = result.updateIssuedAt !== undefined;
    const sample = latencySince(result.trigger.eventTime, result.updateIssuedAt ?? result.time, result.time);
    if (sample?.kind === 'late') {
      if (!followed) metrics.addMetric('LateEvents', MetricUnit.Count, 1);
      return;
    }
    if (!sample) return;
    const name = result.updateStatus === 'Successful' ? 'TimeToCompliance' : 'RemediationLatency';
    metrics.addMetric(name, MetricUnit.Milliseconds, sample.ms);
  }

  return { telemetry, observe };
}

/** For the log line: how many clients the change cuts off, or "unknown" and its cause. */
function cutOffSummary(cutOff: ClientsCutOff): number | string {
  if (cutOff.clients === 'unknown') return `unknown (${cutOff.cause ?? 'not read'})`;
  return cutOff.clients.length + (cutOff.more ?? 0);
}
