import type { VerifyResult } from '../seal/verify';

/** How many findings a report lists by name (the count says how many there were). */
export const REPORT_FINDINGS = 20;

/** What the report says about the integrity of the records it was made from (audit verify). */
export type ReportVerification =
  | {
      /**
       * `intact`: every sealed record is as sealed; `tampered`: at least one finding; `unsealed`:
       * no finding, but no record read is sealed yet (no digest covers them).
       */
      status: 'intact' | 'tampered' | 'unsealed';
      checkedAt: string;
      digests: number;
      sealedRecords: number;
      /** Written after the last digest: not sealed yet, so not verified (not a failure). */
      unsealedRecords: number;
      sealedUntil?: string;
      findingCount: number;
      findings: string[];
    }
  | { status: 'not-verified'; reason: string };

export function reportVerification(result: VerifyResult, checkedAt: Date): ReportVerification {
  const unsealed = result.sealedRecords === 0 && result.unsealed.length > 0;
  return {
    status: !result.intact ? 'tampered' : unsealed ? 'unsealed' : 'intact',
    checkedAt: checkedAt.toISOString(),
    digests: result.digestsChecked,
    sealedRecords: result.sealedRecords,
    unsealedRecords: result.unsealed.length,
    ...(result.sealedUntil ? { sealedUntil: result.sealedUntil } : {}),
    findingCount: result.findings.length,
    findings: result.findings.slice(0, REPORT_FINDINGS).map((f) => f.message),
  };
}

/** One line for the report's summary. */
export function verificationText(v: ReportVerification): string {
  if (v.status === 'not-verified') return `not verified: ${v.reason}`;
  const unsealed =
    v.unsealedRecords > 0
      ? `; ${v.unsealedRecords} record(s) written after ${v.sealedUntil ?? 'the last digest'} not sealed yet`
      : '';
  if (v.status === 'unsealed') {
    return `not sealed yet: no digest covers the ${v.unsealedRecords} record(s) read${v.sealedUntil ? ` (the last digest ends at ${v.sealedUntil})` : ''}`;
  }
  if (v.status === 'intact') {
    return `intact: ${v.sealedRecords} sealed record(s) match ${v.digests} digest(s)${unsealed}`;
  }
  return `TAMPERED: ${v.findingCount} finding(s) against ${v.digests} digest(s)${unsealed}`;
}
