import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { endpointConfigOf } from '../functions/core/endpoint';
import { type Policy, parsePolicy } from '../functions/core/policy/policy';
import { tmpDir } from './bundle';
import { auditTable, drainQueue, failedEventId } from './collect';
import type { Evidence } from './invariant-base';
import { throughProxy } from './lambda-env';
import type { Rig } from './rig';
import { POLICIES } from './workload';

export interface Gathered {
  evidence: Evidence;
  deadLettered: { events: number; messages: number };
}

/** What the invariants are checked against, read once the storm is quiet. */
export async function gatherEvidence(rig: Rig): Promise<Gathered> {
  const { world, proxy, model, invoker, queue, people } = rig;
  const parameter = world.env.POLICY_PARAMETER_NAME;
  const { records, sweeps } = await auditTable(world);
  const alerts = (await world.inbox.drain()).map((a) => a.message);
  const failed = await drainQueue(world.clients.sqs, world.failureQueueUrl);
  const dead = await drainQueue(world.clients.sqs, world.recheckDeadLetterUrl);
  const policies = new Map<string, Policy>();
  for (const text of [JSON.stringify(POLICIES[0]), ...people.stats.policyChanges.map((c) => c.text)]) {
    const loaded = parsePolicy(text, parameter);
    policies.set(loaded.digest, loaded.policy);
  }
  const { Parameter } = await world.clients.ssm.send(new GetParameterCommand({ Name: parameter }));
  const clusters = await Promise.all(
    rig.clusters.map(async ({ name }) => {
      const { cluster } = await world.clients.eks.send(new DescribeClusterCommand({ name }));
      return { name, config: endpointConfigOf(cluster?.resourcesVpcConfig), tags: cluster?.tags ?? {} };
    }),
  );
  const recheckQueue = throughProxy(world.env.RECHECK_QUEUE_URL, proxy.endpoint);
  const evidence: Evidence = {
    now: new Date(),
    clusters,
    finalPolicy: parsePolicy(Parameter?.Value ?? '', parameter).policy,
    policies,
    records,
    sweeps,
    alerts,
    guardUpdates: model.updates.filter((u) => u.by === 'guard'),
    events: invoker.ledger,
    failedEvents: new Set(
      failed.map((m) => failedEventId(m.body)).filter((id): id is string => id !== undefined),
    ),
    sentMessages: new Set(
      [...proxy.stats.sentMessages].filter(([, m]) => m.queueUrl === recheckQueue).map(([id]) => id),
    ),
    handledMessages: queue.ledger.handled,
    deadLetteredMessages: new Set(dead.map((m) => m.id)),
  };
  return { evidence, deadLettered: { events: failed.length, messages: dead.length } };
}

/** The evidence as JSON in .storm-tmp/last-evidence.json, for a person looking into a broken invariant. */
export function keepEvidence(gathered: Gathered, rig: Rig): string {
  const e = gathered.evidence;
  const file = join(tmpDir(), 'last-evidence.json');
  const sets = (s: ReadonlySet<string>) => [...s];
  writeFileSync(
    file,
    JSON.stringify({
      ...e,
      policies: [...e.policies],
      events: [...e.events],
      failedEvents: sets(e.failedEvents),
      sentMessages: sets(e.sentMessages),
      handledMessages: sets(e.handledMessages),
      deadLetteredMessages: sets(e.deadLetteredMessages),
      updates: rig.model.updates,
      messages: [...rig.proxy.stats.sentMessages],
      kills: rig.workers.killLog,
    }),
  );
  return file;
}
