import type { EndpointConfig } from '../functions/core/endpoint';
import type { Random } from './random';

/**
 * The people in the storm: N clusters, and M actions spread over the run: opening an endpoint to
 * the world (sometimes several times in a row on one cluster, while EKS is still busy with the
 * last change), closing it again, adding and removing the exemption tag, tagging for other
 * reasons, changing the policy, and the schedule's sweeps. Pure and seeded.
 */
export type Action =
  | { at: number; kind: 'open'; cluster: string; config: EndpointConfig; person: number }
  | { at: number; kind: 'close'; cluster: string; config: EndpointConfig; person: number }
  | { at: number; kind: 'exempt'; cluster: string; reason: string; person: number }
  | { at: number; kind: 'unexempt'; cluster: string; person: number }
  | { at: number; kind: 'tag'; cluster: string; value: string; person: number }
  | { at: number; kind: 'policy'; policy: number; person: number }
  | { at: number; kind: 'sweep' };

export interface Cluster {
  name: string;
  /** In the VPC without DNS hostnames: turning the public endpoint off would lock clients out. */
  noDns: boolean;
}

export const EXEMPTION_TAG = 'eks-endpoint-guard/exempt';
const ALLOWED = ['203.0.113.0/24', '198.51.100.0/24'];

/** The policies people switch between (all enforce; the first is in force at the start). */
export const POLICIES: readonly Record<string, unknown>[] = [
  { version: 1, mode: 'enforce', publicAccess: 'disabled', privateAccess: 'required' },
  {
    version: 1,
    mode: 'enforce',
    publicAccess: 'restricted',
    allowedPublicCidrs: ALLOWED,
    privateAccess: 'required',
  },
  {
    version: 1,
    mode: 'enforce',
    publicAccess: 'restricted',
    allowedPublicCidrs: ALLOWED,
    privateAccess: 'required',
    overrides: [{ clusters: ['dev-*'], publicAccess: 'allowed', privateAccess: 'optional' }],
  },
];

const OPEN: readonly EndpointConfig[] = [
  { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
  { publicAccess: true, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
  { publicAccess: true, privateAccess: true, publicAccessCidrs: ['203.0.113.0/24', '192.0.2.0/24'] },
  { publicAccess: true, privateAccess: false, publicAccessCidrs: ['203.0.113.0/24'] },
];
export const CLOSED: EndpointConfig = { publicAccess: false, privateAccess: true, publicAccessCidrs: [] };

export function clustersOf(random: Random, count: number): Cluster[] {
  return Array.from({ length: count }, (_, i) => {
    const dev = i % 5 === 4;
    return {
      name: `${dev ? 'dev' : 'prod'}-${String(i).padStart(3, '0')}`,
      noDns: i % 10 === 7 && random.chance(0.8),
    };
  });
}

const WEIGHTS = {
  open: 36,
  burst: 8,
  close: 14,
  exempt: 8,
  unexempt: 8,
  tag: 8,
  policy: 5,
  sweep: 6,
} as const;

/** `count` actions over `durationMs`, in time order; a burst counts as one action of several opens. */
export function workloadOf(
  random: Random,
  clusters: readonly Cluster[],
  count: number,
  durationMs: number,
  people = 5,
): Action[] {
  const actions: Action[] = [];
  for (let i = 0; i < count; i++) {
    const at = Math.round((i + random.next()) * (durationMs / Math.max(1, count)));
    const cluster = random.pick(clusters).name;
    const person = random.int(1, people);
    switch (random.weighted(WEIGHTS)) {
      case 'open':
        actions.push({ at, kind: 'open', cluster, config: random.pick(OPEN), person });
        break;
      case 'burst': {
        // The same person keeps re-applying: a storm of events on one cluster while EKS is busy.
        const times = random.int(3, 5);
        for (let k = 0; k < times; k++) {
          actions.push({
            at: at + k * random.int(50, 400),
            kind: 'open',
            cluster,
            config: random.pick(OPEN),
            person,
          });
        }
        break;
      }
      case 'close':
        actions.push({ at, kind: 'close', cluster, config: CLOSED, person });
        break;
      case 'exempt':
        actions.push({ at, kind: 'exempt', cluster, reason: `OPS-${random.int(100, 999)} storm`, person });
        break;
      case 'unexempt':
        actions.push({ at, kind: 'unexempt', cluster, person });
        break;
      case 'tag':
        actions.push({ at, kind: 'tag', cluster, value: `team-${random.int(1, 9)}`, person });
        break;
      case 'policy':
        actions.push({ at, kind: 'policy', policy: random.int(0, POLICIES.length - 1), person });
        break;
      case 'sweep':
        actions.push({ at, kind: 'sweep' });
        break;
    }
  }
  return actions.sort((a, b) => a.at - b.at);
}

/** How many actions of each kind a workload holds (for the report). */
export function tally(actions: readonly Action[]): Record<Action['kind'], number> {
  const counts = { open: 0, close: 0, exempt: 0, unexempt: 0, tag: 0, policy: 0, sweep: 0 };
  for (const action of actions) counts[action.kind] += 1;
  return counts;
}
