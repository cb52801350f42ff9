import * as z from 'zod/mini';
import type { AlertFacts, AlertRule } from './fact-types';
import { clip, safeLine } from './forms';
import { dedupKeyOf } from './json';
import { type Language, PHRASES } from './phrases';

/**
 * Security Hub findings (ASFF) for an alert: one per cluster and rule, its `Id` the rule's dedup
 * key, so that a later decision about the same cluster and rule updates the same finding:
 * FAILED / ACTIVE while the rule is broken (exempt ones carry the exemption's reason and expiry),
 * PASSED / ARCHIVED once the cluster is remediated or compliant again.
 */
export const ASFF_SCHEMA_VERSION = '2018-10-08';
export const FINDING_UPDATED_BY = 'eks-endpoint-guard';

/** Limits from the AwsSecurityFinding reference. */
export const ASFF_LIMITS = {
  id: 512,
  generatorId: 512,
  title: 256,
  description: 1024,
  recommendationText: 512,
  noteText: 512,
  noteUpdatedBy: 512,
  productFields: 50,
  productFieldKey: 128,
  productFieldValue: 2048,
  userDefinedFields: 50,
  types: 50,
} as const;

const nonBlank = (max: number) => z.string().check(z.minLength(1), z.maxLength(max), z.regex(/\S/));
const isoTime = z.iso.datetime({ offset: true });
const fields = (count: number, key: number, value: number) =>
  z
    .record(z.string().check(z.minLength(1), z.maxLength(key)), z.string().check(z.maxLength(value)))
    .check(z.refine((record) => Object.keys(record).length <= count, `at most ${count} fields`));

const SeverityLabel = z.enum(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);

/** The fields this project sets, with the required ones required and every documented limit. */
export const AsffFindingSchema = z.object({
  SchemaVersion: z.literal(ASFF_SCHEMA_VERSION),
  Id: nonBlank(ASFF_LIMITS.id),
  ProductArn: z
    .string()
    .check(z.regex(/^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:\d{12}:product\/\d{12}\/default$/)),
  GeneratorId: nonBlank(ASFF_LIMITS.generatorId),
  AwsAccountId: z.string().check(z.regex(/^\d{12}$/)),
  Region: z.optional(z.string()),
  Types: z.array(z.string().check(z.regex(/^[^/]+\/[^/]+\/[^/]+$/))).check(z.minLength(1), z.maxLength(50)),
  CreatedAt: isoTime,
  UpdatedAt: isoTime,
  FirstObservedAt: z.optional(isoTime),
  LastObservedAt: z.optional(isoTime),
  Severity: z.object({ Label: SeverityLabel }),
  FindingProviderFields: z.object({
    Severity: z.object({ Label: SeverityLabel, Original: z.string().check(z.maxLength(64)) }),
    Types: z.array(z.string()).check(z.minLength(1), z.maxLength(50)),
  }),
  Title: nonBlank(ASFF_LIMITS.title),
  Description: nonBlank(ASFF_LIMITS.description),
  Remediation: z.optional(
    z.object({
      Recommendation: z.object({
        Text: z.optional(nonBlank(ASFF_LIMITS.recommendationText)),
        Url: z.optional(z.string().check(z.regex(/^https:\/\//))),
      }),
    }),
  ),
  SourceUrl: z.optional(z.string().check(z.regex(/^https:\/\//))),
  ProductFields: z.optional(
    fields(ASFF_LIMITS.productFields, ASFF_LIMITS.productFieldKey, ASFF_LIMITS.productFieldValue),
  ),
  UserDefinedFields: z.optional(fields(ASFF_LIMITS.userDefinedFields, 128, 1024)),
  Note: z.optional(
    z.object({
      Text: nonBlank(ASFF_LIMITS.noteText),
      UpdatedBy: nonBlank(ASFF_LIMITS.noteUpdatedBy),
      UpdatedAt: isoTime,
    }),
  ),
  Resources: z
    .array(
      z.object({
        Type: z.literal('AwsEksCluster'),
        Id: nonBlank(512),
        Partition: z.string(),
        Region: z.string(),
        Details: z.object({
          AwsEksCluster: z.object({
            Name: z.string(),
            Arn: z.string(),
            ResourcesVpcConfig: z.object({ EndpointPublicAccess: z.boolean() }),
          }),
        }),
      }),
    )
    .check(z.minLength(1), z.maxLength(32)),
  Compliance: z.object({ Status: z.enum(['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE']) }),
  RecordState: z.enum(['ACTIVE', 'ARCHIVED']),
});

export type AsffFinding = z.infer<typeof AsffFindingSchema>;

const TYPE = 'Software and Configuration Checks/AWS Security Best Practices/EKS Endpoint Access';

/** The findings for the facts: none when the account is unknown (a finding needs one). */
export function renderFindings(facts: AlertFacts, language: Language = 'en'): AsffFinding[] {
  const account = facts.account;
  if (!account) return [];
  const say = PHRASES[language];
  // A cluster that keeps being made non-compliant stays FAILED though this remediation worked:
  // what re-applies the setting is the finding.
  const passed = facts.status === 'resolved' || (facts.outcome === 'remediated' && !facts.escalation);
  const arn =
    facts.clusterArn ?? `arn:${facts.partition}:eks:${facts.region}:${account}:cluster/${facts.cluster}`;
  const seen = facts.after && facts.outcome === 'remediated' ? facts.after : facts.before;
  const happened = say.happened(facts, (text) => `"${text}"`).join(' ');
  const steps = facts.actions.flatMap((action) => say.action(action, (text) => `"${text}"`)).join(' ');
  return facts.rules.map((rule) => {
    const status = passed ? 'PASSED' : rule === 'check' ? 'NOT_AVAILABLE' : 'FAILED';
    const violation = facts.violations.find((v) => v.rule === rule);
    const label = status === 'PASSED' ? 'INFORMATIONAL' : severityLabel(facts);
    const finding: AsffFinding = {
      SchemaVersion: ASFF_SCHEMA_VERSION,
      Id: clip(dedupKeyOf(facts, rule), ASFF_LIMITS.id),
      ProductArn: `arn:${facts.partition}:securityhub:${facts.region}:${account}:product/${account}/default`,
      GeneratorId: `eks-endpoint-guard/${rule}`,
      AwsAccountId: account,
      Region: facts.region,
      Types: [TYPE],
      CreatedAt: isoOr(facts.trigger.eventTime, facts.time),
      UpdatedAt: facts.time,
      LastObservedAt: facts.time,
      Severity: { Label: label },
      // On a re-import Security Hub takes severity and types from here, never from the fields above.
      FindingProviderFields: { Severity: { Label: label, Original: facts.outcome }, Types: [TYPE] },
      Title: clip(safeLine(`EKS cluster ${facts.cluster}: ${say.rule(rule)}`), ASFF_LIMITS.title),
      Description: clip(
        safeLine([violation ? `${violation.reason}.` : '', happened].filter(Boolean).join(' ')),
        ASFF_LIMITS.description,
      ),
      Resources: [
        {
          Type: 'AwsEksCluster',
          Id: arn,
          Partition: facts.partition,
          Region: facts.region,
          Details: {
            AwsEksCluster: {
              Name: facts.cluster,
              Arn: arn,
              ResourcesVpcConfig: { EndpointPublicAccess: seen?.publicAccess ?? true },
            },
          },
        },
      ],
      Compliance: { Status: status },
      RecordState: status === 'PASSED' ? 'ARCHIVED' : 'ACTIVE',
      ProductFields: productFields(facts, rule, seen),
    };
    if (steps && status !== 'PASSED') {
      finding.Remediation = {
        Recommendation: {
          Text: clip(safeLine(steps), ASFF_LIMITS.recommendationText),
          ...(facts.links.console && { Url: facts.links.console }),
        },
      };
    }
    if (facts.links.console) finding.SourceUrl = facts.links.console;
    if (facts.exemption && facts.outcome === 'exempt') {
      const { source, reason, expires } = facts.exemption;
      finding.UserDefinedFields = {
        exemptionSource: source,
        exemptionReason: reason,
        ...(expires && { exemptionExpires: expires }),
      };
      finding.Note = {
        Text: clip(safeLine(exemptionNote(source, reason, expires)), ASFF_LIMITS.noteText),
        UpdatedBy: FINDING_UPDATED_BY,
        UpdatedAt: facts.time,
      };
    }
    return finding;
  });
}

/**
 * The note the guard leaves on the AWS-managed control finding EKS.1 of the cluster
 * (BatchUpdateFindings): what it decided, never a change of the finding's workflow.
 */
export function controlFindingNote(facts: AlertFacts): { Text: string; UpdatedBy: string } {
  const say = PHRASES.en;
  const text = `${say.headline(facts.headline, facts.cluster)}. Decided ${facts.time}, correlation id ${facts.correlationId}.`;
  return { Text: clip(safeLine(text), ASFF_LIMITS.noteText), UpdatedBy: FINDING_UPDATED_BY };
}

function severityLabel(facts: AlertFacts): AsffFinding['Severity']['Label'] {
  if (facts.escalation) return 'CRITICAL';
  if (facts.outcome === 'failed' || facts.outcome === 'blocked') return 'HIGH';
  if (facts.outcome === 'exempt') return 'LOW';
  return 'MEDIUM';
}

function productFields(
  facts: AlertFacts,
  rule: AlertRule,
  seen: AlertFacts['before'],
): Record<string, string> {
  const field = (value: string) => clip(value, ASFF_LIMITS.productFieldValue);
  const entries: [string, string | undefined][] = [
    ['eks-endpoint-guard/outcome', facts.outcome],
    ['eks-endpoint-guard/status', facts.status],
    ['eks-endpoint-guard/rule', rule],
    ['eks-endpoint-guard/dedupKey', dedupKeyOf(facts, rule)],
    ['eks-endpoint-guard/correlationId', facts.correlationId],
    ['eks-endpoint-guard/actor', facts.trigger.actorArn],
    ['eks-endpoint-guard/endpointPrivateAccess', seen && String(seen.privateAccess)],
    [
      'eks-endpoint-guard/publicAccessCidrs',
      seen?.publicAccess ? seen.publicAccessCidrs.join(',') : undefined,
    ],
    ['eks-endpoint-guard/cloudTrailEvent', facts.links.cloudTrailEvent],
    ['eks-endpoint-guard/clientsCutOff', facts.clientsCutOff && clientsField(facts.clientsCutOff)],
    // Note and UserDefinedFields are kept from a finding's first import only: the exemption is here too.
    ['eks-endpoint-guard/exemptionReason', facts.outcome === 'exempt' ? facts.exemption?.reason : undefined],
    [
      'eks-endpoint-guard/exemptionExpires',
      facts.outcome === 'exempt' ? facts.exemption?.expires : undefined,
    ],
  ];
  return Object.fromEntries(
    entries
      .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')
      .map(([k, v]) => [k, field(v)]),
  );
}

/** `192.0.2.10 (42 requests, last 2026-03-01T10:42:13Z), …`, `none of 7 seen` or `unknown: why`, with the window. */
function clientsField(cutOff: NonNullable<AlertFacts['clientsCutOff']>): string {
  const window = `audit log ${cutOff.since} to ${cutOff.until}`;
  if (cutOff.clients === 'unknown') return `unknown: ${cutOff.why ?? cutOff.cause ?? 'not read'} (${window})`;
  const total = cutOff.clients.length + (cutOff.more ?? 0);
  if (total === 0) return `none of ${cutOff.seen ?? 0} clients seen (${window})`;
  const listed = cutOff.clients.map((c) => `${c.ip} (${c.requests} requests, last ${c.lastSeen})`).join(', ');
  const more = cutOff.more ? ` and ${cutOff.more} more` : '';
  return `${listed}${more}${cutOff.partial ? ' (at least: part of the log was not read)' : ''} (${window})`;
}

function exemptionNote(source: 'tag' | 'policy', reason: string, expires: string | undefined): string {
  const by = source === 'tag' ? 'the cluster tag' : 'the policy exemptions';
  return `Exempt by ${by}${expires ? ` until ${expires} (inclusive)` : ', no end date'}: ${reason}`;
}

function isoOr(candidate: string | undefined, fallback: string): string {
  return candidate && isoTime.safeParse(candidate).success ? candidate : fallback;
}
