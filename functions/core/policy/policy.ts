import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { cidrProblem } from '../cidr';
import { quote as show } from '../quote';

export const DEFAULT_POLICY_PARAMETER_NAME = '/eks-endpoint-guard/policy';
export const DEFAULT_EXEMPTION_TAG = 'eks-endpoint-guard/exempt';
/** EKS accepts at most 40 public access CIDRs per cluster. */
export const MAX_PUBLIC_CIDRS = 40;
/** One week. */
export const MAX_GRACE_PERIOD_MINUTES = 7 * 24 * 60;
export const MAX_TAG_EXEMPTION_DAYS = 3650;

const Cidr = z.string().check(
  z.superRefine((value, ctx) => {
    const problem = cidrProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  z.describe('An IPv4 or IPv6 CIDR block with host bits zero, e.g. 203.0.113.0/24 or 2001:db8::/32'),
);
const CidrList = z
  .array(Cidr)
  .check(
    z.minLength(1),
    z.maxLength(MAX_PUBLIC_CIDRS),
    z.describe(
      'Networks the public endpoint may be open to (1-40 blocks); required when publicAccess is "restricted"',
    ),
  );
const PublicAccess = z
  .enum(['disabled', 'restricted', 'allowed'])
  .check(
    z.describe(
      'disabled: the public endpoint must be off; restricted: on only for CIDRs inside allowedPublicCidrs; allowed: anything',
    ),
  );
const PrivateAccess = z
  .enum(['required', 'optional'])
  .check(z.describe('Whether the private (in-VPC) endpoint must be on'));
/** Cluster name glob: letters, digits, `-`, `_`, with `*` and `?` wildcards. */
const ClusterGlob = z
  .string()
  .check(z.regex(/^[A-Za-z0-9*?][A-Za-z0-9_*?-]{0,99}$/, 'expected a cluster name or glob such as "dev-*"'));

/** Minutes a new violation is left alone before it is reverted: 0 to one week. */
const GracePeriod = z
  .int()
  .check(
    z.minimum(0),
    z.maximum(MAX_GRACE_PERIOD_MINUTES),
    z.describe(
      'Minutes a new violation is left alone (alerted, not reverted) before the guard remediates it; 0 to 10080',
    ),
  );

/** `YYYY-MM-DD` (through the end of that UTC day) or a full UTC timestamp such as `2027-01-31T18:00:00Z`. */
const Expiry = z
  .union([z.iso.date(), z.iso.datetime({ offset: false })])
  .check(
    z.describe(
      'Last day (UTC, YYYY-MM-DD) on which the exemption applies, or the UTC time it ends (YYYY-MM-DDTHH:MM:SSZ)',
    ),
  );

const Exemption = z
  .strictObject({
    cluster: ClusterGlob,
    reason: z
      .string()
      .check(z.minLength(1), z.describe('Why, e.g. a ticket reference; shown in alerts and audit records')),
    /** Last day (UTC) on which the exemption applies, or the exact UTC time it ends. */
    expires: z.optional(Expiry),
  })
  .check(z.describe('Clusters whose name matches the glob are left alone and reported as exempt'));

const Override = z
  .strictObject({
    clusters: z.array(ClusterGlob).check(z.minLength(1)),
    publicAccess: z.optional(PublicAccess),
    allowedPublicCidrs: z.optional(CidrList),
    privateAccess: z.optional(PrivateAccess),
    gracePeriodMinutes: z.optional(GracePeriod),
  })
  .check(
    z.describe('The first override whose globs match a cluster replaces the rules it sets for that cluster'),
  );

// zod/mini: the same validation as the classic API in a fraction of the Lambda bundle.
export const PolicySchema = z
  .strictObject({
    version: z.literal(1).check(z.describe('Schema version; only 1 exists')),
    mode: z._default(
      z
        .enum(['enforce', 'notify'])
        .check(
          z.describe('enforce: revert non-compliant changes; notify: alert only, never change a cluster'),
        ),
      'enforce',
    ),
    publicAccess: PublicAccess,
    allowedPublicCidrs: z.optional(CidrList),
    privateAccess: z._default(PrivateAccess, 'required'),
    exemptionTag: z._default(
      z.nullable(
        z
          .string()
          .check(
            z.minLength(1),
            z.maxLength(128),
            z.describe(
              'A cluster carrying this tag key is exempt; the tag value is the reason. null turns tag exemptions off',
            ),
          ),
      ),
      DEFAULT_EXEMPTION_TAG,
    ),
    requireTagExpiry: z._default(
      z
        .boolean()
        .check(
          z.describe(
            'true: the exemption tag exempts only with an expiry in its value, e.g. "OPS-123 until 2027-01-31"',
          ),
        ),
      false,
    ),
    maxTagExemptionDays: z.optional(
      z
        .int()
        .check(
          z.minimum(1),
          z.maximum(MAX_TAG_EXEMPTION_DAYS),
          z.describe('The longest a tag exemption may last, in days from when the guard first saw it'),
        ),
    ),
    gracePeriodMinutes: z._default(GracePeriod, 0),
    maxRemediationsPerRun: z.optional(
      z
        .int()
        .check(
          z.minimum(1),
          z.describe('The most clusters one sweep may change; the rest are reported would-remediate'),
        ),
    ),
    protectActiveClients: z._default(
      z
        .enum(['off', 'alert', 'defer'])
        .check(
          z.describe(
            'Before a change that cuts access, read the audit log for the clients it would cut off. off: do not look; alert: change and name them; defer: when it would cut off active clients, wait one grace period (gracePeriodMinutes, or 60 minutes when that is 0) with them named, then change',
          ),
        ),
      'alert',
    ),
    alertLanguage: z._default(
      z.enum(['en', 'ja']).check(z.describe('The language of the e-mail alerts')),
      'en',
    ),
    exemptions: z._default(z.array(Exemption), []),
    overrides: z._default(z.array(Override), []),
  })
  .check(
    z.superRefine((policy, ctx) => {
      if (policy.publicAccess === 'restricted' && !policy.allowedPublicCidrs) {
        ctx.addIssue({
          code: 'custom',
          path: ['allowedPublicCidrs'],
          message: 'required when publicAccess is "restricted"',
        });
      }
      policy.overrides.forEach((override, index) => {
        if (
          override.publicAccess === 'restricted' &&
          !override.allowedPublicCidrs &&
          !policy.allowedPublicCidrs
        ) {
          ctx.addIssue({
            code: 'custom',
            path: ['overrides', index, 'allowedPublicCidrs'],
            message: 'required when the override sets publicAccess "restricted" and the policy has none',
          });
        }
      });
    }),
  );

export type Policy = z.output<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;
export type PublicAccessRule = z.output<typeof PublicAccess>;
export type PrivateAccessRule = z.output<typeof PrivateAccess>;

/** A policy that could not be read: the message is one line naming the source, field and fault. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  constructor(
    readonly source: string,
    readonly fault: string,
    options?: { cause?: unknown },
  ) {
    super(`policy ${source}: ${fault}`, options);
  }
}

/** A validated policy with what an audit record needs to identify it. */
export interface LoadedPolicy {
  policy: Policy;
  source: string;
  /** sha256 of the exact text, so auditors can tell which policy decided. */
  digest: string;
}

/** Parses policy JSON text; throws PolicyError with a one-line message. */
export function parsePolicy(text: string, source: string): LoadedPolicy {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(source, `not valid JSON (${oneLine((error as Error).message)})`, { cause: error });
  }
  return { policy: validatePolicy(data, source), source, digest: policyDigest(text) };
}

/** Validates an already-parsed policy value; throws PolicyError with a one-line message. */
export function validatePolicy(data: unknown, source: string): Policy {
  const result = PolicySchema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues;
  const first = formatIssue(issues[0] as z.core.$ZodIssue);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new PolicyError(source, `${first}${more}`, { cause: result.error });
}

export function policyDigest(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** The JSON Schema that policy authors can use in their editors. */
export function policyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(PolicySchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://eks-endpoint-guard/policy.schema.json',
    title: 'eks-endpoint-guard policy (version 1)',
    // The cross-field rule the zod refinement enforces, so that editors flag it too.
    if: { properties: { publicAccess: { const: 'restricted' } }, required: ['publicAccess'] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema keyword
    then: { required: ['allowedPublicCidrs'] },
  };
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `${formatPath(issue.path)}: ` : '';
  return `${where}${describeIssue(issue)}`;
}

/** One schema issue in words, without its path (the linter reports every issue with its own position). */
export function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      if (issue.input === undefined) return 'is required';
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}, got ${show(issue.input)}`;
    case 'invalid_type':
      return issue.input === undefined
        ? 'is required'
        : `expected ${issue.expected}, got ${show(issue.input)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => show(k)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `needs at least ${issue.minimum} entr${issue.minimum === 1 ? 'y' : 'ies'}`
        : `must not be empty`;
    case 'too_big':
      return issue.origin === 'array'
        ? `has more than ${issue.maximum} entries`
        : `is longer than ${issue.maximum}`;
    case 'invalid_format':
      return issue.format === 'date' ? `expected a date YYYY-MM-DD, got ${show(issue.input)}` : issue.message;
    case 'invalid_union':
      // Only `expires` is a union: a date or a UTC timestamp.
      return `expected a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ, got ${show(issue.input)}`;
    default:
      return issue.message;
  }
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, '');
}

/** Node quotes the text around a JSON syntax error, line breaks included: keep the error one line. */
function oneLine(text: string): string {
  const flat = text.replace(/[\s\u0085]+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}
