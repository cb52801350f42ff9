import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ClientsCutOff } from '../core/clients/types';
import type { CheckResult } from '../core/result';
import type { GuardTelemetry } from '../guard/options';

/**
 * Logs every decision with the outcome words and emits low-cardinality metrics (no cluster
 * names as dimensions): a count per outcome, remediation latency, deferrals and delivery failures.
 */
export function observer(logger: Logger, metrics: Metrics) {
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
    logger[level](`${result.cluster}: ${result.outcome}`, {
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
    const since = result.trigger.eventTime ? Date.parse(result.trigger.eventTime) : Number.NaN;
    if (result.outcome === 'remediated' && !Number.isNaN(since)) {
      const elapsed = Math.max(0, Date.parse(result.time) - since);
      const name = result.updateStatus === 'Successful' ? 'TimeToCompliance' : 'RemediationLatency';
      metrics.addMetric(name, MetricUnit.Milliseconds, elapsed);
    }
  }

  return { telemetry, observe };
}

/** For the log line: how many clients the change cuts off, or "unknown" and its cause. */
function cutOffSummary(cutOff: ClientsCutOff): number | string {
  if (cutOff.clients === 'unknown') return `unknown (${cutOff.cause ?? 'not read'})`;
  return cutOff.clients.length + (cutOff.more ?? 0);
}
