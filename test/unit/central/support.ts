/**
 * Events as EventBridge really delivers them to the central bus in eu-west-1: `account` is the
 * sender's, `region` the bus's own; the member's region travels in `source`, which the bus policy
 * binds to that region's guard role.
 */
export const BUS_REGION = 'eu-west-1';
export const MEMBER = '111122223333';
export const REGIONS = ['us-east-1', 'eu-west-1'];

export function busEvent(
  detailType: string,
  detail: unknown,
  options: { account?: string; memberRegion?: string; source?: string } = {},
): Record<string, unknown> {
  return {
    version: '0',
    id: `ev-${Math.random().toString(16).slice(2)}`,
    account: options.account ?? MEMBER,
    region: BUS_REGION,
    source: options.source ?? `eks-endpoint-guard.${options.memberRegion ?? 'us-east-1'}`,
    'detail-type': detailType,
    time: '2026-12-01T08:00:00Z',
    resources: [],
    detail,
  };
}
