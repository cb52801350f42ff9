import type { AwsClients } from '../aws/clients';
import { GUARD_TOKEN_PREFIX } from '../core/triggers/normalise';
import { type SandboxVpc, setEndpoint } from './sandbox';

/**
 * The demo's story: the policy it runs under, who the guard is, and the events it plays, each with
 * what the person did to the cluster first. demo.ts plays it against the emulator.
 */

/** The policy the story runs under: strict, with one restricted override. */
export const DEMO_POLICY = {
  version: 1,
  mode: 'enforce',
  publicAccess: 'disabled',
  privateAccess: 'required',
  exemptionTag: 'eks-endpoint-guard/exempt',
  overrides: [
    {
      clusters: ['analytics'],
      publicAccess: 'restricted',
      allowedPublicCidrs: ['203.0.113.0/24'],
      privateAccess: 'optional',
    },
  ],
};

export const REGION = 'us-east-1';

export interface Scene {
  file: string;
  cluster: string;
  /** What happened, in words. */
  story: string;
  /** What the person did to the cluster before their CloudTrail event arrives. */
  before?: (world: World) => Promise<void>;
  token?: string;
  /** Who made the call, when not the event file's own identity. */
  identity?: Record<string, unknown>;
}

export const DEMO_ACCOUNT = '123456789012';
/** The demo's stand-in for the stack's function role: only its sessions' changes are the guard's own. */
export const DEMO_GUARD_ROLE = `arn:aws:iam::${DEMO_ACCOUNT}:role/eks-endpoint-guard-remediator`;

/** The CloudTrail identity of the guard's own call: a session of its role, as Lambda makes it. */
export function guardSession(): Record<string, unknown> {
  return {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/eks-endpoint-guard-remediator/eks-endpoint-guard`,
    accountId: DEMO_ACCOUNT,
    sessionContext: {
      sessionIssuer: { type: 'Role', arn: DEMO_GUARD_ROLE, accountId: DEMO_ACCOUNT },
    },
  };
}

export interface World {
  clients: AwsClients;
  vpcs: { withDns: SandboxVpc; withoutDns: SandboxVpc };
}

/** What jdoe does in the console before the event arrives: prod-api open to the whole internet. */
function openProdApiToTheWorld({ clients, vpcs }: World): Promise<void> {
  return setEndpoint(
    clients.eks,
    'prod-api',
    { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
    vpcs.withDns,
  );
}

export const SCENES: Scene[] = [
  {
    file: 'create-cluster-public.json',
    cluster: 'prod-api',
    story:
      'platform-ci creates prod-api with the EKS defaults: its API server is open to the whole internet.',
  },
  {
    file: 'create-cluster-private.json',
    cluster: 'payments',
    story: 'maria.lopez creates payments with a private endpoint only.',
  },
  {
    file: 'update-config-cidrs.json',
    cluster: 'analytics',
    story:
      'A pipeline opens analytics to 203.0.113.0/24 and 192.0.2.0/24; the policy allows 203.0.113.0/24 only.',
  },
  {
    file: 'create-cluster-legacy-2018.json',
    cluster: 'legacy-batch',
    story:
      'An old CLI creates legacy-batch (the 2018 event shape names it "clusterName"); it carries an exemption tag.',
  },
  {
    file: 'update-config-open-world.json',
    cluster: 'prod-api',
    story: 'jdoe opens prod-api to the world again from the console.',
    before: openProdApiToTheWorld,
  },
  {
    file: 'update-config-open-world.json',
    cluster: 'prod-api',
    story:
      "The guard's own UpdateClusterConfig comes back as a CloudTrail event, made by a session of its role: no second change, no second alert.",
    token: `${GUARD_TOKEN_PREFIX}demo`,
    identity: guardSession(),
  },
  {
    file: 'update-config-open-world.json',
    cluster: 'prod-api',
    story:
      "jdoe opens prod-api again and copies the guard's clientRequestToken prefix to pass as the guard: only the CloudTrail identity counts, so it is reverted like any other change.",
    token: `${GUARD_TOKEN_PREFIX}impostor`,
    before: openProdApiToTheWorld,
  },
  {
    file: 'update-config-open-world.json',
    cluster: 'edge-proxy',
    story:
      'The same change on edge-proxy, whose VPC has DNS hostnames off: private clients could not resolve it.',
  },
  {
    file: 'update-config-logging.json',
    cluster: 'prod-api',
    story:
      'platform-ci turns on control plane logging for prod-api: not an endpoint change, but a cheap re-check.',
  },
  {
    file: 'update-config-failed.json',
    cluster: 'prod-api',
    story: 'sam.okafor tries to open prod-api but is not allowed: the call failed, nothing changed.',
  },
];

/** Where the demo writes its HTML report unless told otherwise: the working directory, to open in a browser. */
