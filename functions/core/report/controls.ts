import { duration, when } from './text';
import type { AccountReport, ControlEvidence, ControlFigure } from './types';
import { verificationText } from './verification';

/**
 * The report's evidence mapped to the controls auditors ask about. The report does not say a
 * control is met: it gives, per control, the figures that bear on it (each pointing at the field of
 * the JSON report it comes from) and the exceptions an auditor must look at.
 */
type Report = Omit<AccountReport, 'controls'>;
type FigureName = 'exposure' | 'ttr' | 'checking' | 'exemptions' | 'policies' | 'integrity';

const CONTROLS: readonly (Omit<ControlEvidence, 'figures' | 'exceptions'> & { figures: FigureName[] })[] = [
  {
    id: 'fsbp-eks-1',
    framework: 'AWS Foundational Security Best Practices',
    control: 'EKS.1',
    requirement: 'EKS cluster endpoints should not be publicly accessible.',
    evidence:
      'Every cluster is checked against the policy on each change and on each sweep; a public endpoint is turned off or narrowed, and the time it was exposed is measured.',
    figures: ['exposure', 'ttr', 'exemptions'],
  },
  {
    id: 'cis-eks-5.4',
    framework: 'CIS Amazon EKS Benchmark',
    control: '5.4.1 / 5.4.2',
    requirement:
      'Restrict access to the control plane endpoint (5.4.1); private endpoint enabled and public access disabled (5.4.2).',
    evidence:
      'The policy in force says which clusters must be private and which may stay public from allowed CIDR blocks only; every departure from it is a window below.',
    figures: ['policies', 'exposure', 'exemptions'],
  },
  {
    id: 'pci-dss-1.4',
    framework: 'PCI DSS v4.0.1',
    control: 'Requirement 1.4',
    requirement: 'Network connections between trusted and untrusted networks are controlled.',
    evidence:
      'The Kubernetes API endpoint is the connection controlled: exposure to untrusted networks is detected continuously and removed, each case with its time to remediate.',
    figures: ['exposure', 'ttr', 'checking', 'exemptions'],
  },
  {
    id: 'nist-800-53-sc-7',
    framework: 'NIST SP 800-53 Rev. 5',
    control: 'SC-7 Boundary Protection',
    requirement: 'Monitor and control communications at the external managed interfaces of the system.',
    evidence:
      'The endpoint is an external managed interface: the guard monitors it on every change and every sweep, controls it to the policy, and seals its records against later change.',
    figures: ['checking', 'ttr', 'exposure', 'integrity'],
  },
  {
    id: 'iso-27001-a.8.20',
    framework: 'ISO/IEC 27001:2022',
    control: 'A.8.20 Networks security',
    requirement: 'Networks and network devices are secured, managed and controlled.',
    evidence:
      'The endpoint access rules are a managed policy (an SSM parameter, versioned); the guard enforces it and records each decision with the policy version that made it.',
    figures: ['policies', 'checking', 'exposure', 'integrity'],
  },
  {
    id: 'iso-27001-a.8.22',
    framework: 'ISO/IEC 27001:2022',
    control: 'A.8.22 Segregation of networks',
    requirement: 'Groups of services, users and systems are segregated in the networks.',
    evidence:
      'A private endpoint keeps the Kubernetes API inside the cluster VPC, apart from the internet; exceptions are exemptions with a reason and an expiry.',
    figures: ['exposure', 'exemptions'],
  },
];

export function controlEvidence(report: Report): ControlEvidence[] {
  const figures = figureValues(report);
  const exceptions = exceptionsOf(report);
  return CONTROLS.map((c) => ({
    ...c,
    figures: c.figures.map((name) => figures[name]),
    exceptions: c.figures.flatMap((name) => exceptions[name] ?? []),
  }));
}

function figureValues(r: Report): Record<FigureName, ControlFigure> {
  const still = r.clusters.filter((c) => c.stillExposed).length;
  const ttr = r.timeToRemediate;
  const early = r.beforeCoverage;
  const exemptions = r.clusters.flatMap((c) => c.exemptions.map((x) => ({ ...x, cluster: c.cluster })));
  const s = r.sweeps;
  return {
    exposure: {
      name: 'Exposure per cluster',
      value: `${r.clustersExposed} of ${r.clustersGuarded} cluster(s) exposed in the period, ${duration(r.exposedSeconds)} in total; ${still} still exposed at its end`,
      source: 'clusters[].exposedSeconds, clusters[].windows[]',
    },
    ttr: {
      name: 'Time to remediate',
      value: `${ttr.count === 0 ? 'no window fixed' : `p50 ${duration(ttr.p50Seconds)}, p95 ${duration(ttr.p95Seconds)} over ${ttr.count} fixed window(s)`}${early.windows > 0 ? `; ${early.windows} window(s) began before the guard's coverage (${when(r.coverage.since)}), shown apart` : ''}`,
      source: 'timeToRemediate, beforeCoverage',
    },
    checking: {
      name: 'Proof of continuous checking',
      value: `${s.count} sweep(s), ${s.clustersChecked} cluster check(s), at most ${duration(2 * s.intervalSeconds)} apart expected; ${s.gaps.length} gap(s)`,
      source: 'sweeps',
    },
    exemptions: {
      name: 'Exemptions',
      value:
        exemptions.length === 0
          ? 'none in force in the period'
          : exemptions
              .map(
                (x) =>
                  `${x.cluster}: ${x.reason} (${x.source}${x.grantedBy ? `, ${x.grantedBy.how} by ${x.grantedBy.arn}` : ', approver not recorded'}, ${x.expires ? `expires ${x.expires}` : 'no expiry'})`,
              )
              .join('; '),
      source: 'clusters[].exemptions[]',
    },
    policies: {
      name: 'Policy in force',
      value:
        r.policies
          .map(
            (p) =>
              `parameter version ${p.policyParameterVersion ?? 'not recorded'} (${p.digest.slice(0, 19)}…)`,
          )
          .join(', ') || 'no decision recorded in the period',
      source: 'policies[]',
    },
    integrity: {
      name: 'Integrity of the records',
      value: verificationText(r.verification),
      source: 'verification',
    },
  };
}

function exceptionsOf(r: Report): Partial<Record<FigureName, string[]>> {
  const still = r.clusters.filter((c) => c.stillExposed).map((c) => c.cluster);
  const noExpiry = r.clusters.flatMap((c) =>
    c.exemptions.filter((x) => !x.expires).map((x) => `${c.cluster} (${x.reason})`),
  );
  const v = r.verification;
  return {
    exposure: still.length > 0 ? [`still exposed at the end of the period: ${still.join(', ')}`] : [],
    checking: r.sweeps.gaps.map(
      (g) => `no sweep from ${when(g.from)} to ${when(g.to)} (${duration(g.seconds)})`,
    ),
    exemptions: noExpiry.length > 0 ? [`exemptions without an expiry: ${noExpiry.join(', ')}`] : [],
    integrity:
      v.status === 'tampered'
        ? [`${v.findingCount} record(s) or digest(s) do not match what was sealed`]
        : v.status === 'not-verified'
          ? ['the records were not verified against digests']
          : v.status === 'unsealed'
            ? ['the records are not sealed by any digest yet']
            : [],
  };
}
