import { safeLine } from '../core/alert/forms';
import { pathOf } from '../core/clients/address';
import type { ClientsLookup } from '../core/clients/types';
import { windowText } from '../core/clients/words';
import type { EndpointConfig } from '../core/endpoint';
import type { ClientsPort, EksPort } from '../ports';
import { CliError } from './cli-error';
import { guardRuntime } from './context';
import { EXIT_OK } from './exit-codes';
import { renderTable } from './format';
import type { CliIo } from './io';

/**
 * `check --clients`: each cluster's recent API clients, from its audit log, the way the guard reads
 * them before a change (DESIGN §18): address, how it reaches the API server today, requests, last
 * seen, users and user agents. Decides nothing and changes nothing.
 */
export interface ClientsOptions {
  cluster?: string[];
  json?: boolean;
  concurrency?: number;
}

/** Look-ups at once: each is a Logs Insights query, and an account runs only a few at a time. */
export const CLIENTS_CONCURRENCY = 4;

export interface ClusterClients {
  cluster: string;
  /** The endpoint configuration now; absent when the cluster was not found. */
  config?: EndpointConfig;
  lookup?: ClientsLookup;
  /** The cluster does not exist (any more). */
  missing?: boolean;
}

export async function clientsRegion(
  options: ClientsOptions,
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const runtime = guardRuntime(env, { reportOnly: true });
  const port = runtime.ports.clients;
  if (!port) throw new CliError('--clients: the client look-up is off (CLIENTS_STRATEGY=off)');
  const names = options.cluster?.length
    ? [...new Set(options.cluster)]
    : await allClusters(runtime.ports.eks);
  const found = await lookUpAll(names, runtime.ports.eks, port, options.concurrency ?? CLIENTS_CONCURRENCY);
  if (options.json) io.out(`${JSON.stringify(found.map(clustersJson), null, 2)}\n`);
  else printClients(found, io);
  return EXIT_OK;
}

async function allClusters(eks: EksPort): Promise<string[]> {
  const names: string[] = [];
  for await (const name of eks.listClusters()) names.push(name);
  return names.sort();
}

/** Every cluster's look-up, a few at a time, in the order of `names`. */
export async function lookUpAll(
  names: readonly string[],
  eks: EksPort,
  clients: ClientsPort,
  concurrency: number,
): Promise<ClusterClients[]> {
  const results: ClusterClients[] = new Array(names.length);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const index = next++;
      const name = names[index] as string;
      const state = await eks.describeCluster(name);
      if (!state) {
        results[index] = { cluster: name, missing: true };
        continue;
      }
      const lookup = await clients.recentClients({
        name: state.name,
        ...(state.auditLogging !== undefined ? { auditLogging: state.auditLogging } : {}),
      });
      results[index] = { cluster: state.name, config: state.config, lookup };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, names.length)) }, worker));
  return results;
}

export function printClients(found: readonly ClusterClients[], io: CliIo): void {
  if (found.length === 0) {
    io.out('No clusters\n');
    return;
  }
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const { cluster, config, lookup, missing } of found) {
    if (missing || !config || !lookup) {
      rows.push([cluster, 'not found', '-', '-', '-', '-', '-']);
      continue;
    }
    if (!lookup.known) {
      rows.push([cluster, 'unknown', '-', '-', '-', '-', safeLine(lookup.why, 120)]);
      continue;
    }
    if (lookup.clients.length === 0) rows.push([cluster, 'none seen', '-', '-', '-', '-', '-']);
    for (const client of lookup.clients) {
      rows.push([
        cluster,
        safeLine(client.ip, 64),
        pathOf(config, client.ip),
        client.requests.toLocaleString('en-US'),
        client.lastSeen.replace('T', ' ').slice(0, 16),
        names(client.users, client.moreUsers),
        names(client.userAgents, client.moreUserAgents),
      ]);
    }
    const asOf = lookup.newestEvent ? `, newest event ${lookup.newestEvent.slice(0, 16)}Z` : '';
    const read =
      lookup.bytesScanned !== undefined ? `, ${(lookup.bytesScanned / 1_048_576).toFixed(1)} MB read` : '';
    notes.push(
      `${cluster}: last ${windowText(lookup.since, lookup.until)} by ${lookup.strategy}${asOf}${read}${lookup.partial ? `; partial: ${lookup.partial}` : ''}`,
    );
  }
  const [header = '', ...lines] = renderTable(
    ['CLUSTER', 'CLIENT', 'REACHES VIA', 'REQUESTS', 'LAST SEEN (UTC)', 'USERS', 'USER AGENTS'],
    rows,
  ).split('\n');
  io.out(`${io.style.bold(header)}\n${lines.join('\n')}`);
  for (const note of notes) io.out(`${io.style.dim(note)}\n`);
  io.out(
    `${io.style.dim('The client is the connection address (the last of sourceIPs); user agents are labels the clients chose. The audit log reaches CloudWatch minutes late.')}\n`,
  );
}

function names(list: readonly string[], more: number | undefined): string {
  if (list.length === 0) return '-';
  return `${list.map((name) => safeLine(name, 80)).join(', ')}${more ? ` +${more}` : ''}`;
}

/** The JSON form: the look-up as the guard reads it, with how each client reaches the server today. */
function clustersJson(found: ClusterClients): Record<string, unknown> {
  const { cluster, config, lookup, missing } = found;
  if (missing || !config || !lookup) return { cluster, found: false };
  if (!lookup.known) return { cluster, ...lookup };
  return {
    cluster,
    ...lookup,
    clients: lookup.clients.map((client) => ({ ...client, reachesVia: pathOf(config, client.ip) })),
  };
}
