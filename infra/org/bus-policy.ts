import { Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { memberEventSource } from '../../functions/core/decision-event';
import { guardNames } from '../../functions/core/guard-names';
import { OrgConfigError } from './config';

/**
 * The central bus's resource policy (DESIGN §15): only the members' guard role may put events, and
 * each event is bound to its region. One statement per region pairs `aws:PrincipalArn` (that
 * region's fixed role name, `eks-endpoint-guard-member-<region>`, in any account) with `events:source`
 * (`eks-endpoint-guard.<region>`, every source of the call), beside `aws:PrincipalOrgID`: EventBridge itself then refuses
 * everyone else, and a guard can speak only for its own region. The protection SCP keeps anyone in
 * a member account from creating, passing or rewriting a role of that name; SCPs never bind the
 * management account, so the bus denies it outright when its id is known.
 */

/** EventBridge's limit on an event bus's resource policy, in bytes. */
export const BUS_POLICY_MAX_BYTES = 10_240;
/** The longest region name AWS uses today: the size check assumes it for a bus whose region is a token. */
const LONGEST_REGION = 'ap-southeast-5';

export interface BusPolicyOptions {
  organizationId: string;
  regions: readonly string[];
  /** The bus's ARN (a token in the template; a literal when the size is computed). */
  busArn: string;
  partition?: string;
  managementAccountId?: string;
}

export interface BusStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal: { AWS: '*' };
  Action: 'events:PutEvents';
  Resource: string;
  Condition: Record<string, Record<string, string>>;
}

/** The statements as EventBridge stores them (CloudFormation prefixes each Sid with `cdk-`). */
export function busPolicyStatements(options: BusPolicyOptions): BusStatement[] {
  const partition = options.partition ?? 'aws';
  const statements: BusStatement[] = options.regions.map((region) => ({
    Sid: `member-${region}`,
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Action: 'events:PutEvents',
    Resource: options.busArn,
    Condition: {
      StringEquals: { 'aws:PrincipalOrgID': options.organizationId },
      // events:source is multi-valued (the sources of a PutEvents call): every one must be this
      // region's. (ForAllValues is also true of a call with no source at all, which can claim no
      // region: the role is this region's guard either way, and a source-less event matches no rule.)
      'ForAllValues:StringEquals': { 'events:source': memberEventSource(region) },
      ArnLike: { 'aws:PrincipalArn': `arn:${partition}:iam::*:role/${guardNames('member', region).role}` },
    },
  }));
  if (options.managementAccountId) {
    statements.push({
      Sid: 'not-the-management-account',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'events:PutEvents',
      Resource: options.busArn,
      Condition: { StringEquals: { 'aws:PrincipalAccount': options.managementAccountId } },
    });
  }
  return statements;
}

/** Bytes of the bus's whole policy document as EventBridge would hold it. */
export function busPolicyBytes(options: BusPolicyOptions): number {
  const Statement = busPolicyStatements(options).map((s) => ({ ...s, Sid: `cdk-${s.Sid}` }));
  return Buffer.byteLength(JSON.stringify({ Version: '2012-10-17', Statement }));
}

/** A bus ARN as it will be, for the size: the longest region and a 12-digit account. */
export function sizingBusArn(busName: string, region = LONGEST_REGION): string {
  return `arn:aws:events:${region}:123456789012:event-bus/${busName}`;
}

/**
 * How many regions fit in the bus policy, each named as long as the longest region name today, with
 * the management account denied: past it EventBridge refuses the policy, so the stack refuses first.
 */
export function maxBusPolicyRegions(
  busName: string,
  organizationId = 'o-abcdefghij0123456789abcdefghij01',
): number {
  let regions = 0;
  for (;;) {
    const next = Array.from({ length: regions + 1 }, (_, i) => `${LONGEST_REGION.slice(0, -1)}${i % 10}`);
    const bytes = busPolicyBytes({
      organizationId,
      regions: next,
      busArn: sizingBusArn(busName),
      managementAccountId: '123456789012',
    });
    if (bytes > BUS_POLICY_MAX_BYTES) return regions;
    regions += 1;
  }
}

/** Refuses, at synth, a region list whose bus policy EventBridge would refuse. */
export function checkBusPolicySize(
  options: BusPolicyOptions,
  busName: string,
  busRegion: string | undefined,
): void {
  const bytes = busPolicyBytes({ ...options, busArn: sizingBusArn(busName, busRegion ?? LONGEST_REGION) });
  if (bytes > BUS_POLICY_MAX_BYTES) {
    throw new OrgConfigError(
      `regions: ${options.regions.length} regions need a central bus policy of ${bytes} bytes, over EventBridge's ${BUS_POLICY_MAX_BYTES}; at most ${maxBusPolicyRegions(busName, options.organizationId)} regions per central bus (deploy a second central stack for the others)`,
    );
  }
}

/**
 * The central bus (id `Bus`) with its policy: refused at synth when EventBridge would refuse the
 * policy, else one statement per region (and the management account's Deny).
 */
export function centralBus(
  scope: Construct,
  policy: Omit<BusPolicyOptions, 'busArn' | 'partition'>,
  busName: string,
): events.EventBus {
  const stack = Stack.of(scope);
  checkBusPolicySize(
    { ...policy, busArn: '' },
    busName,
    Token.isUnresolved(stack.region) ? undefined : stack.region,
  );
  const bus = new events.EventBus(scope, 'Bus', { eventBusName: busName });
  for (const statement of busPolicyStatements({
    ...policy,
    busArn: bus.eventBusArn,
    partition: stack.partition,
  })) {
    bus.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: statement.Sid,
        effect: statement.Effect === 'Deny' ? iam.Effect.DENY : iam.Effect.ALLOW,
        principals: [new iam.AnyPrincipal()],
        actions: [statement.Action],
        resources: [bus.eventBusArn],
        conditions: statement.Condition,
      }),
    );
  }
  return bus;
}
