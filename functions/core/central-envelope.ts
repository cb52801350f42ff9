import * as z from 'zod/mini';
import { DECISION_DETAIL_TYPE, regionOfSource, SWEEP_DETAIL_TYPE } from './decision-event';

/**
 * What the central account may believe of an event on its bus (DESIGN §15). The recorder cannot
 * see the caller: it believes only what the bus policy enforced. The envelope's `account` is the
 * sender's account (EventBridge sets it); its `region` is the bus's own region for every event sent
 * from another region, so it says nothing about the sender. The sender's region is the one its
 * `source` names (`eks-endpoint-guard.<region>`), which the bus policy admits only from that
 * region's guard role, and only for a region the organisation deploys to.
 */
export interface CentralContext {
  /** The StackSet's regions: a source naming any other is refused. */
  regions: readonly string[];
  now: Date;
}

export interface GuardEnvelope {
  account: string;
  /** The member's region, from the source the bus policy bound to it. */
  region: string;
  detailType: typeof DECISION_DETAIL_TYPE | typeof SWEEP_DETAIL_TYPE;
  detail: Record<string, unknown>;
}

const Envelope = z.object({
  account: z.string().check(z.regex(/^\d{12}$/)),
  source: z.string(),
  'detail-type': z.enum([DECISION_DETAIL_TYPE, SWEEP_DETAIL_TYPE]),
  detail: z.record(z.string(), z.unknown()),
});

/** The envelope of a member's event, or why it is refused (one line). */
export function guardEnvelope(event: unknown, context: CentralContext): GuardEnvelope | { refused: string } {
  const parsed = Envelope.safeParse(event);
  if (!parsed.success) return { refused: `not a guard event: ${firstIssue(parsed.error)}` };
  const { account, source, detail } = parsed.data;
  const region = regionOfSource(source);
  if (!region)
    return { refused: `source ${JSON.stringify(source.slice(0, 80))}: not eks-endpoint-guard.<region>` };
  if (!context.regions.includes(region)) {
    return { refused: `source names region ${region}, which is not one of the StackSet's regions` };
  }
  return { account, region, detailType: parsed.data['detail-type'], detail };
}

export function firstIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(event)'}: ${issue.message}` : 'invalid';
}
