import type { Policy } from './policy/policy';

/**
 * The policy as an AWS Organizations service control policy: the part of it that IAM can refuse
 * before a cluster ever becomes non-compliant. EKS gives two Bool condition keys on CreateCluster
 * and UpdateClusterConfig, `eks:endpointPublicAccess` and `eks:endpointPrivateAccess`, present only
 * when the request carries the field. Everything else stays remediation-only, and `notes` says so.
 */
export const SCP_MAX_CHARACTERS = 5120;

export interface ScpStatement {
  Sid: string;
  Effect: 'Deny';
  Action: string;
  Resource?: string | string[];
  NotResource?: string[];
  Condition: Record<string, Record<string, string | string[]>>;
}

export interface ScpDocument {
  Version: '2012-10-17';
  Statement: ScpStatement[];
}

export interface ScpOptions {
  /** The guard's role: never denied (its own changes only ever close endpoints, but it must not be blocked). */
  guardRoleArn?: string;
  /** Roles people use in an emergency. */
  breakGlassRoleArns?: string[];
  /** Exemptions that have expired by then are left out. */
  now: Date;
}

export interface RenderedScp {
  /** undefined when nothing in the policy can be expressed as a deny. */
  document: ScpDocument | undefined;
  /** Characters of the minified document (the limit counts those). */
  size: number;
  fits: boolean;
  /** What each statement refuses, in words. */
  prevents: string[];
  /** What the SCP cannot prevent or does not see: the guard must still remediate it. */
  cannotPrevent: string[];
}

const PUBLIC_KEY = 'eks:endpointPublicAccess';
const PRIVATE_KEY = 'eks:endpointPrivateAccess';
const DAY_MS = 86_400_000;

/** A rule as IAM can refuse it: deny when `key` is `value`. EKS's default on create decides the absent case. */
interface Rule {
  name: 'Public' | 'Private';
  key: string;
  /** The value that violates the rule. */
  value: 'true' | 'false';
  /** What EKS applies when CreateCluster omits the field. */
  createDefault: 'true' | 'false';
  words: string;
  /** Whether the rule holds for a set of effective settings. */
  applies: (publicAccess: Policy['publicAccess'], privateAccess: Policy['privateAccess']) => boolean;
}

const RULES: Rule[] = [
  {
    name: 'Public',
    key: PUBLIC_KEY,
    value: 'true',
    createDefault: 'true',
    words: 'turning the public endpoint on',
    applies: (publicAccess) => publicAccess === 'disabled',
  },
  {
    name: 'Private',
    key: PRIVATE_KEY,
    value: 'false',
    createDefault: 'false',
    words: 'turning the private endpoint off',
    applies: (_publicAccess, privateAccess) => privateAccess === 'required',
  },
];

export function renderScp(policy: Policy, options: ScpOptions): RenderedScp {
  const statements: ScpStatement[] = [];
  const prevents: string[] = [];
  const cannotPrevent: string[] = [];
  const principals = [options.guardRoleArn, ...(options.breakGlassRoleArns ?? [])].filter(
    (arn): arn is string => Boolean(arn),
  );
  const exemptPrincipals: ScpStatement['Condition'] =
    principals.length > 0 ? { ArnNotLike: { 'aws:PrincipalArn': unique(principals) } } : {};

  // Exempt clusters are left alone by the guard: the SCP must not be stricter than the policy.
  const exemptions = policy.exemptions.filter(
    (e) => !e.expires || endOf(String(e.expires)) > options.now.getTime(),
  );
  for (const exemption of exemptions) {
    if (exemption.expires) {
      cannotPrevent.push(
        `the exemption of "${exemption.cluster}" ends ${String(exemption.expires)}: render and attach the SCP again then, or the SCP keeps exempting it`,
      );
    }
  }

  for (const rule of RULES) {
    const topApplies = rule.applies(policy.publicAccess, policy.privateAccess);
    // Per override, in order: whether the rule holds for the clusters it matches.
    const overrides = policy.overrides.map((o) => ({
      globs: o.clusters,
      applies: rule.applies(o.publicAccess ?? policy.publicAccess, o.privateAccess ?? policy.privateAccess),
    }));
    const exceptions = unique([
      ...overrides.filter((o) => !o.applies).flatMap((o) => o.globs),
      ...exemptions.map((e) => e.cluster),
    ]);

    if (topApplies) {
      statements.push({
        Sid: `Deny${rule.name}EndpointUpdate`,
        Effect: 'Deny',
        Action: 'eks:UpdateClusterConfig',
        ...(exceptions.length > 0 ? { NotResource: exceptions.map(clusterArn) } : { Resource: '*' }),
        // Bool on its own: an update that does not carry the field (logging, say) is not refused.
        Condition: { Bool: { [rule.key]: rule.value }, ...exemptPrincipals },
      });
      prevents.push(
        `UpdateClusterConfig ${rule.words}${exceptions.length > 0 ? `, except on ${exceptions.join(', ')}` : ''}`,
      );
      if (exceptions.length === 0) {
        statements.push({
          Sid: `Deny${rule.name}EndpointCreate`,
          Effect: 'Deny',
          Action: 'eks:CreateCluster',
          Resource: '*',
          // IfExists: a CreateCluster that omits the field gets EKS's default, which violates the rule.
          Condition: {
            [rule.value === rule.createDefault ? 'BoolIfExists' : 'Bool']: { [rule.key]: rule.value },
            ...exemptPrincipals,
          },
        });
        prevents.push(
          `CreateCluster ${rule.words.replace('turning', 'with')}${rule.value === rule.createDefault ? ' (also when the request leaves it to the EKS default)' : ''}`,
        );
      } else {
        cannotPrevent.push(
          `CreateCluster ${rule.words.replace('turning', 'with')} for clusters other than ${exceptions.join(', ')}: CreateCluster has no cluster ARN to tell names apart, so the guard remediates new clusters`,
        );
      }
      continue;
    }

    // The rule holds only for some overrides: deny updates of their clusters, where first-match order allows.
    const strict: string[] = [];
    overrides.forEach((override, index) => {
      if (!override.applies) return;
      const relaxedEarlier = overrides.slice(0, index).some((o) => !o.applies);
      if (relaxedEarlier || exemptions.length > 0) {
        cannotPrevent.push(
          `${rule.words} on ${override.globs.join(', ')}: an earlier override or an exemption may match the same names, and an SCP cannot express first-match order`,
        );
        return;
      }
      strict.push(...override.globs);
    });
    if (strict.length > 0) {
      const globs = unique(strict);
      statements.push({
        Sid: `Deny${rule.name}EndpointUpdate`,
        Effect: 'Deny',
        Action: 'eks:UpdateClusterConfig',
        Resource: globs.map(clusterArn),
        Condition: { Bool: { [rule.key]: rule.value }, ...exemptPrincipals },
      });
      prevents.push(`UpdateClusterConfig ${rule.words} on ${globs.join(', ')}`);
      cannotPrevent.push(
        `CreateCluster ${rule.words.replace('turning', 'with')} for ${globs.join(', ')}: CreateCluster has no cluster ARN to tell names apart`,
      );
    }
  }

  if (policy.publicAccess === 'restricted' || policy.overrides.some((o) => o.publicAccess === 'restricted')) {
    cannotPrevent.push(
      'publicAccessCidrs: no condition key covers them, so "restricted" stays remediation-only (a public endpoint opened to other networks is narrowed by the guard)',
    );
  }
  const tag: string | null | undefined = policy.exemptionTag;
  if (tag) {
    cannotPrevent.push(
      `tag exemptions (${tag}): the SCP does not honour them; the owner of an exempt cluster needs the break-glass role to change its endpoint against the policy`,
    );
  }
  if (policy.mode === 'notify') {
    cannotPrevent.push(
      'the policy is in notify mode: attached, this SCP refuses what the guard only reports',
    );
  }
  cannotPrevent.push(
    'clusters that are already non-compliant: an SCP refuses requests, it changes nothing; the sweep remediates them',
    'the management account and service-linked roles: SCPs do not apply to them',
  );

  const document: ScpDocument | undefined =
    statements.length > 0 ? { Version: '2012-10-17', Statement: statements } : undefined;
  const size = document ? JSON.stringify(document).length : 0;
  return { document, size, fits: size <= SCP_MAX_CHARACTERS, prevents, cannotPrevent };
}

/** Cluster name globs use `*` and `?` like IAM ARN patterns do. */
function clusterArn(glob: string): string {
  return `arn:aws:eks:*:*:cluster/${glob}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function endOf(expires: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(expires)) return Date.parse(`${expires}T00:00:00Z`) + DAY_MS;
  const time = Date.parse(expires);
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
}
