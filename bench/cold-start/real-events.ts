import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { retarget } from '../../functions/cli/sandbox';
import { EMULATOR_ACCOUNT, REGION, tmpDir } from '../lib/env';
import {
  COMPLIANT,
  clusterNames,
  createClusters,
  createWorld,
  OPEN_TO_THE_WORLD,
  POLICY_ENFORCE,
  type World,
} from '../lib/world';
import { CHANGE_EVENT } from './settings';

/** First real events after a cold start: clusters in the emulator and the event files that name them. */

export interface RealEvents {
  world: World;
  /** Per run: two events for compliant clusters, two for clusters open to the world. */
  check(run: number): string[];
  remediate(run: number): string[];
}

/** Fresh clusters for every run, so that no run sees the audit history of another. */
export async function realEvents(endpoint: string, runs: number, variants: number): Promise<RealEvents> {
  const world = await createWorld(endpoint, POLICY_ENFORCE);
  const count = runs * variants * 2;
  const compliant = clusterNames('cold-ok', 0, count);
  const open = clusterNames('cold-open', 0, count);
  await createClusters(world, [...compliant, ...open], (index) =>
    index < count ? COMPLIANT : OPEN_TO_THE_WORLD,
  );
  const template = JSON.parse(readFileSync(CHANGE_EVENT, 'utf8')) as unknown;
  const dir = tmpDir('cold-start', 'events');
  const used = new Map<string, number>();
  const eventFiles = (names: string[], key: string) => {
    const next = used.get(key) ?? 0;
    used.set(key, next + 2);
    return names.slice(next, next + 2).map((cluster) => {
      const file = join(dir, `${cluster}.json`);
      writeFileSync(
        file,
        JSON.stringify(retarget(template, { cluster, account: EMULATOR_ACCOUNT, region: REGION })),
      );
      return file;
    });
  };
  return {
    world,
    check: () => eventFiles(compliant, 'check'),
    remediate: () => eventFiles(open, 'remediate'),
  };
}

// ---- The benchmark ----
