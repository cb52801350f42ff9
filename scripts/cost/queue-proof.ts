import { PRICES } from './prices';
import type { Workload } from './workload';

/**
 * How a queued record proves it is the guard's own, per account-region a month: the chosen SQS
 * confirmation (one ChangeMessageVisibility per privileged record), against a MAC from a KMS HMAC
 * key only the guard's role may use (the key's monthly charge, a GenerateMac to send and a
 * VerifyMac to receive each record). The key alone would break the member's $1 a month.
 */
export function queueProofCost(workload: Workload): { sqs: number; kmsHmac: number; chosen: 'sqs' } {
  const records = workload.privilegedRecordsPerMonth;
  return {
    sqs: records * PRICES.sqsRequest.usd,
    kmsHmac: PRICES.kmsKeyMonth.usd + 2 * records * PRICES.kmsRequest.usd,
    chosen: 'sqs',
  };
}
