/**
 * Notices about events the central account cannot read (DESIGN §15): each one names the sender and
 * why, and goes out at most once per account per hour and channel, however many such events arrive;
 * every refused event is still counted and logged by the recorder.
 */
export const NOTICE_PARTITION = 'notice';
export const NOTICE_INTERVAL_SECONDS = 3600;

export type NoticeChannel = 'email' | 'chat';

/** The item that holds back the next notice of `channel` about `account` until `until` (epoch seconds). */
export function noticeItem(channel: NoticeChannel, account: string, now: Date): Record<string, unknown> {
  const seconds = Math.floor(now.getTime() / 1000);
  return {
    pk: NOTICE_PARTITION,
    sk: `${channel}#${account}`,
    until: seconds + NOTICE_INTERVAL_SECONDS,
    expiresAt: seconds + 2 * 86_400,
  };
}

/** The machine form's schema names, as the decision's `detail.schema` starts with them. */
const ALERT_SCHEMA_PREFIX = 'eks-endpoint-guard/alert@';
/** What the readable e-mail (the topic's input transformer) shows of a decision's detail. */
const SHOWN = ['cluster', 'outcome', 'severity', 'reason', 'time', 'correlationId'] as const;

/**
 * The EventBridge pattern on a decision's detail that the e-mail rule matches: an alert's machine
 * form with every field the e-mail shows. A decision that does not match reaches people only as a
 * rate-limited notice (the recorder's), never as one e-mail per event.
 */
export const READABLE_DECISION_DETAIL: Record<string, unknown[]> = {
  schema: [{ prefix: ALERT_SCHEMA_PREFIX }],
  ...Object.fromEntries(SHOWN.map((field) => [field, [{ exists: true }]])),
};

/** Whether the e-mail rule's pattern matches the detail (the same test, in code). */
export function readableForEmail(detail: Record<string, unknown>): boolean {
  const schema = detail.schema;
  if (typeof schema !== 'string' || !schema.startsWith(ALERT_SCHEMA_PREFIX)) return false;
  return SHOWN.every((field) => ['string', 'number', 'boolean'].includes(typeof detail[field]));
}

/** The e-mail text of a notice about an unreadable decision: who sent it and why, nothing of its detail. */
export function unreadableNotice(
  account: string,
  region: string,
  reason: string,
): { Subject: string; Message: string } {
  return {
    Subject: `EKS endpoint guard: unreadable decision event from account ${account}`,
    Message: [
      `The guard of account ${account}, region ${region} sent a decision the central account cannot read; nothing of it is shown here.`,
      `Problem: ${reason.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').slice(0, 300)}`,
      `Notices like this one go out at most once an hour per account; every refused event is counted (RefusedEvents) and logged by the recorder.`,
      `Check that the member runs the same guard version as the central stack. Details: eks-endpoint-guard audit --account ${account}, on the central audit table.`,
    ].join('\n'),
  };
}
