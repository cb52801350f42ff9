/** EKS accepts at most 40 public access CIDRs per cluster. */
export const MAX_PUBLIC_CIDRS = 40;
/** One week. */
export const MAX_GRACE_PERIOD_MINUTES = 7 * 24 * 60;
export const MAX_TAG_EXEMPTION_DAYS = 3650;

/**
 * The policy's whole-number fields and their ranges: the schema checks them and the messages state
 * them ("must be a whole number from 1 to 3650, got 0"), from this one table.
 */
export const WHOLE_NUMBER_FIELDS: Record<string, { min: number; max?: number }> = {
  gracePeriodMinutes: { min: 0, max: MAX_GRACE_PERIOD_MINUTES },
  maxTagExemptionDays: { min: 1, max: MAX_TAG_EXEMPTION_DAYS },
  maxRemediationsPerRun: { min: 1 },
};
