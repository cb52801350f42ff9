import type { PolicyInForce, SweepEvidence } from './checking';
import type { ReportCutOff } from './clients';
import type { ClusterReport, TimeToRemediate } from './cluster';
import type { ReportVerification } from './verification';

/** The auditor's report, as `report --format json` prints it (DESIGN §11, §16). */
export interface ReportPeriod {
  /** ISO, inclusive. */
  since: string;
  /** ISO, exclusive. */
  until: string;
  /** ISO time the report was made; an open window is counted up to min(until, generatedAt). */
  generatedAt: string;
}

/** Which guard the evidence is from. */
export interface GuardIdentity {
  /** The version of the guard (and of the command) that made the report. */
  version: string;
  /** The CloudFormation stack of the guard, when the report was pointed at one (--stack). */
  stack?: string;
}

export interface AccountReport {
  period: ReportPeriod;
  /** The region reported. */
  region: string;
  /** Every region and account the records name (the region reported, the accounts seen). */
  regions: string[];
  accounts: string[];
  /** The account asked for (--account). */
  account?: string;
  guard: GuardIdentity;
  clusterFilter?: string;
  /** Time to remediate counts only time after the guard's first record in the account-region. */
  coverage: { since?: string };
  clustersGuarded: number;
  clustersExposed: number;
  /** openAtStart + opened = closed + open. */
  windows: { openAtStart: number; opened: number; closed: number; open: number };
  exposedSeconds: number;
  /** Of the windows that began inside the guard's coverage and were fixed in the period. */
  timeToRemediate: TimeToRemediate;
  /** Windows that began before the guard's coverage: their own figure, start of coverage to fix. */
  beforeCoverage: { windows: number; fixedAfterCoverage: TimeToRemediate };
  clusters: ClusterReport[];
  sweeps: SweepEvidence;
  policies: PolicyInForce[];
  /** Whom the changes of the period cut off, from the clusters' audit logs (DESIGN §18). */
  clientsCutOff: ReportCutOff[];
  /** Whether the records read were found as they were sealed (audit verify). */
  verification: ReportVerification;
  /** The figures above, mapped to the controls auditors ask about. */
  controls: ControlEvidence[];
}

/**
 * The report's evidence mapped to the controls auditors ask about. The report does not say a
 * control is met: it gives, per control, the figures that bear on it (each pointing at the field of
 * the JSON report it comes from) and the exceptions an auditor must look at.
 */
export interface ControlEvidence {
  /** Stable id, e.g. `fsbp-eks-1`. */
  id: string;
  framework: string;
  control: string;
  /** What the control asks, in short. */
  requirement: string;
  /** How the guard's evidence bears on it. */
  evidence: string;
  figures: ControlFigure[];
  /** What did not hold in the period (empty: nothing to look at). */
  exceptions: string[];
}

export interface ControlFigure {
  name: string;
  value: string;
  /** Where in the JSON report the figure comes from. */
  source: string;
}
