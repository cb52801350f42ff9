import { randomUUID } from 'node:crypto';
import { type PolicyAdmin, type PolicyParameter, policyAdmin } from '../../../aws/policy-admin';
import type { ClientsCutOff } from '../../../core/clients/types';
import { cutOffCell } from '../../../core/clients/words';
import { type EndpointConfig, sameEndpointConfig } from '../../../core/endpoint';
import type { Outcome } from '../../../core/outcome';
import { PolicyError } from '../../../core/policy/policy';
import type { CheckResult } from '../../../core/result';
import type { GuardOptions } from '../../../guard/options';
import { policySource } from '../../../guard/policy-source';
import { sweep } from '../../../guard/sweep';
import type { ClusterState, EksPort, GuardPorts, PolicyPort } from '../../../ports';
import type { WriteTarget } from '../../aws-clients';
import { CliError } from '../../cli-error';
import { guardRuntime } from '../../context';
import { EXIT_OK } from '../../exit-codes';
import { changeOf, renderTable } from '../../format';
import type { CliIo } from '../../io';
import { readCandidate } from './validate';

export interface PolicyChange {
  cluster: string;
  region: string;
  now: { outcome: Outcome; reason: string };
  /** `clientsCutOff`: the recently active API clients the candidate's target would cut off. */
  candidate: { outcome: Outcome; reason: string; after?: EndpointConfig; clientsCutOff?: ClientsCutOff };
  /** The configuration seen (for the table; not part of the JSON form). */
  before?: EndpointConfig;
}

export interface WhatIfReport {
  changes: PolicyChange[];
  /** Clusters evaluated. */
  clusters: number;
}

/**
 * Every cluster of the region decided twice, report-only, under the live policy and under the
 * candidate: the clusters whose decision (outcome or target) differs. Nothing is changed, alerted,
 * queued or recorded. Each cluster is described once; both decisions see the same state.
 */
export async function whatIf(
  ports: GuardPorts,
  guard: GuardOptions,
  live: PolicyPort,
  candidate: PolicyPort,
  concurrency: number,
): Promise<WhatIfReport> {
  const eks = describedOnce(ports.eks);
  const reportOnly: GuardOptions = { ...guard, act: false };
  const decide = async (policy: PolicyPort) => {
    const results: CheckResult[] = [];
    const run = sweep({ ...ports, eks, policy }, reportOnly, {
      region: guard.region,
      sweepId: `what-if-${randomUUID().slice(0, 8)}`,
      trigger: { source: 'cli', eventTime: ports.clock().toISOString() },
      concurrency,
    });
    for await (const result of run) results.push(result);
    return results;
  };
  const then = await decide(candidate);
  const unusable = then.length === 1 && then[0]?.cluster === '-' ? then[0] : undefined;
  if (unusable) throw new CliError(`the candidate policy cannot be used: ${unusable.reason}`);
  // A live policy that is missing or invalid is one failed decision for every cluster.
  let liveFault: string | undefined;
  try {
    await live.load();
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    liveFault = `${error.message}; nothing changed`;
  }
  const now = liveFault ? [] : await decide(live);
  const before = new Map(now.map((r) => [r.cluster, r]));

  const changes: PolicyChange[] = [];
  for (const result of then) {
    const previous = before.get(result.cluster);
    const was = previous
      ? { outcome: previous.outcome, reason: previous.reason }
      : { outcome: 'failed' as const, reason: liveFault ?? 'not decided under the live policy' };
    if (previous && previous.outcome === result.outcome && sameTarget(previous.after, result.after)) continue;
    changes.push({
      cluster: result.cluster,
      region: result.region,
      now: was,
      candidate: {
        outcome: result.outcome,
        reason: result.reason,
        ...(result.after ? { after: result.after } : {}),
        ...(result.clientsCutOff ? { clientsCutOff: result.clientsCutOff } : {}),
      },
      ...(result.before ? { before: result.before } : {}),
    });
  }
  changes.sort((a, b) => a.cluster.localeCompare(b.cluster));
  return { changes, clusters: then.length };
}

function sameTarget(a: EndpointConfig | undefined, b: EndpointConfig | undefined): boolean {
  if (!a || !b) return a === b;
  return sameEndpointConfig(a, b);
}

/** DescribeCluster once per cluster, shared by both decisions. */
function describedOnce(eks: EksPort): EksPort {
  const seen = new Map<string, Promise<ClusterState | undefined>>();
  return {
    ...eks,
    listClusters: () => eks.listClusters(),
    describeCluster(name) {
      let state = seen.get(name);
      if (!state) {
        state = eks.describeCluster(name);
        seen.set(name, state);
      }
      return state;
    },
  };
}

/** The table of changes, or one line when there is none. */
export function printWhatIf(report: WhatIfReport, io: CliIo): void {
  if (report.changes.length === 0) {
    io.out(`no cluster would be decided differently (${clusters(report.clusters)} checked)\n`);
    return;
  }
  const rows = report.changes.map((c) => [
    c.cluster,
    `${c.now.outcome} → ${c.candidate.outcome}`,
    c.candidate.outcome === 'would-remediate' || c.candidate.outcome === 'blocked'
      ? changeOf({ before: c.before, after: c.candidate.after })
      : '-',
    cutOffCell(c.candidate.clientsCutOff),
    c.candidate.reason,
  ]);
  const [header = '', ...lines] = renderTable(
    ['CLUSTER', 'NOW → CANDIDATE', 'THE GUARD WOULD SET', 'WOULD CUT OFF', 'REASON'],
    rows,
  ).split('\n');
  io.out(`${io.style.bold(header)}\n${lines.join('\n')}`);
  io.out(
    `\n${report.changes.length} of ${clusters(report.clusters)} would be decided differently; nothing was changed\n`,
  );
}

function clusters(n: number): string {
  return `${n} cluster${n === 1 ? '' : 's'}`;
}

/** A PolicyPort for the parameter as read: its text, or the fault of a missing one. */
export function livePolicy(parameter: PolicyParameter | undefined, name: string): PolicyPort {
  if (parameter) return policySource(parameter.text, name);
  return {
    parameterName: name,
    load: async () => {
      throw new PolicyError(name, 'the parameter does not exist');
    },
    history: async () => [],
    invalidate: () => undefined,
  };
}

/** The runtime and the admin adapter of the policy parameter, from the environment (report-only). */
/** `writes`: for policy publish, whose every request is checked against where it may write. */
export function policyRuntime(writes?: WriteTarget): {
  admin: PolicyAdmin;
  runtime: ReturnType<typeof guardRuntime>;
} {
  const runtime = guardRuntime(process.env, { reportOnly: true, ...(writes ? { writes } : {}) });
  return { runtime, admin: policyAdmin(() => runtime.clients.ssm, runtime.config.POLICY_PARAMETER_NAME) };
}

export interface WhatIfOptions {
  json?: boolean;
}

/** `policy what-if FILE`: resolves to the exit code. */
export async function whatIfCommand(file: string, options: WhatIfOptions, io: CliIo): Promise<number> {
  // Offline first: an invalid candidate is refused before any AWS client exists.
  const { text } = await readCandidate(file, io, new Date());
  const { runtime, admin } = policyRuntime();
  const parameter = await admin.read();
  const report = await whatIf(
    runtime.ports,
    runtime.processOptions(false).guard,
    livePolicy(parameter, admin.parameterName),
    policySource(text, file),
    runtime.config.SWEEP_CONCURRENCY,
  );
  if (options.json) io.out(`${JSON.stringify(whatIfJson(report), null, 2)}\n`);
  else printWhatIf(report, io);
  return EXIT_OK;
}

/** `{ changes: [{ cluster, region, now, candidate }], clusters }` */
export function whatIfJson(report: WhatIfReport): WhatIfReport {
  return {
    changes: report.changes.map(({ cluster, region, now, candidate }) => ({
      cluster,
      region,
      now,
      candidate,
    })),
    clusters: report.clusters,
  };
}
