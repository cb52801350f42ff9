import type { App } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { propsFromContext } from '../app-context';
import { DEFAULT_SWEEP_SCHEDULE } from '../config';
import { applyStandards } from '../synth';
import { CENTRAL_BUS_NAME, CentralStack } from './central-stack';
import {
  accountId,
  list,
  OrgConfigError,
  organizationalUnitList,
  regionList,
  slackChannelList,
  teamsChannelList,
  validOrganizationId,
} from './config';
import { synthesizeMemberTemplate } from './member-template';
import { ORGANISATION_POLICY_PARAMETER_NAME } from './policy-share';
import {
  AssetBucketStack,
  checkBucketPrefix,
  DEFAULT_STACKSET_NAME,
  GuardStackSetStack,
  MemberCodeStack,
} from './stackset-stack';

/** What the org app reads from `-c key=value` (see docs/ORGANIZATION.md). */
export interface OrgContext {
  organizationId: string;
  organizationalUnits: string[];
  regions: string[];
  /** Region of the StackSet itself (the administrator's home region). */
  homeRegion: string;
  callAs: 'SELF' | 'DELEGATED_ADMIN';
  bucketPrefix: string;
  /** The security account that holds the central bus, topic, table and shared policy. */
  centralAccount?: string;
  centralRegion: string;
  managementAccountId?: string;
}

export function orgContext(node: Node): OrgContext {
  const text = (key: string): string | undefined => {
    const value = node.tryGetContext(key);
    return value === undefined || value === null || value === '' ? undefined : String(value).trim();
  };
  const organizationId = text('organizationId') ?? '';
  if (!validOrganizationId(organizationId)) {
    throw new OrgConfigError(
      `context organizationId: expected o- and 10 to 32 lowercase letters or digits, got "${organizationId}"`,
    );
  }
  const organizationalUnits = organizationalUnitList(node.tryGetContext('organizationalUnits'));
  if (organizationalUnits.length === 0)
    throw new OrgConfigError('context organizationalUnits: give at least one OU id');
  const regions = regionList(node.tryGetContext('regions'));
  if (regions.length === 0) throw new OrgConfigError('context regions: give at least one region');
  const centralAccount = accountId(text('centralAccount'), 'centralAccount');
  // With a central account, it deploys the StackSet as the organisation's StackSets delegated
  // administrator: so its watchdog may list the StackSet's instances (members that never reported).
  const callAs = (text('callAs') ?? (centralAccount ? 'DELEGATED_ADMIN' : 'SELF')).toUpperCase();
  if (callAs !== 'SELF' && callAs !== 'DELEGATED_ADMIN') {
    throw new OrgConfigError(`context callAs: expected SELF or DELEGATED_ADMIN, got "${callAs}"`);
  }
  if (centralAccount && callAs !== 'DELEGATED_ADMIN') {
    throw new OrgConfigError(
      'context callAs SELF with centralAccount: the central account deploys the StackSet as its delegated administrator (callAs DELEGATED_ADMIN), so that its watchdog can list the members that should report',
    );
  }
  const [homeRegion] = regionList(
    text('homeRegion') ?? process.env.CDK_DEFAULT_REGION ?? regions[0],
    'homeRegion',
  );
  const [centralRegion] = regionList(text('centralRegion') ?? homeRegion, 'centralRegion');
  return {
    organizationId,
    organizationalUnits,
    regions,
    homeRegion: homeRegion as string,
    callAs,
    bucketPrefix: checkBucketPrefix(text('assetBucketPrefix') ?? `eks-guard-${organizationId}`),
    centralAccount,
    centralRegion: centralRegion as string,
    managementAccountId: accountId(text('managementAccountId'), 'managementAccountId'),
  };
}

/**
 * The organisation app: per target region an organisation-readable asset bucket and the upload of
 * the member code into it, the service-managed StackSet of the member guard, and (with
 * `centralAccount`) the central stack for the security account.
 */
export function buildOrgApp(app: App): void {
  const org = orgContext(app.node);
  const central = org.centralAccount;
  const decisionBusArn = central
    ? `arn:aws:events:${org.centralRegion}:${central}:event-bus/${CENTRAL_BUS_NAME}`
    : undefined;
  const sharedPolicyArn =
    central && org.managementAccountId
      ? `arn:aws:ssm:${org.centralRegion}:${central}:parameter${ORGANISATION_POLICY_PARAMETER_NAME}`
      : undefined;

  const member = propsFromContext(app.node);
  // The member reads the organisation's shared policy unless given its own parameter.
  const policyParameter = member.policyParameter ?? (member.policyFile ? undefined : sharedPolicyArn);
  const bundling = app.node.tryGetContext('aws:cdk:bundling-stacks');
  const template = synthesizeMemberTemplate(
    { ...member, policyParameter },
    {
      outdir: app.outdir,
      bucketPrefix: org.bucketPrefix,
      // The member is bundled whichever org stacks the CLI was asked to deploy.
      context: {
        ...app.node.getAllContext(),
        'aws:cdk:bundling-stacks': Array.isArray(bundling) && bundling.length === 0 ? [] : ['**'],
      },
      decisionBusArn,
    },
  );

  const stackSet = new GuardStackSetStack(app, 'EksEndpointGuardStackSet', {
    // Deployed from the central account when there is one (its delegated administrator).
    env: { ...(central && { account: central }), region: org.homeRegion },
    description: 'eks-endpoint-guard: the member guard as a service-managed StackSet',
    organizationId: org.organizationId,
    organizationalUnits: org.organizationalUnits,
    regions: org.regions,
    callAs: org.callAs,
    template,
  });
  for (const region of org.regions) {
    const bucket = new AssetBucketStack(app, `EksEndpointGuardAssets-${region}`, {
      env: { region },
      description: 'eks-endpoint-guard: organisation-readable code bucket for the StackSet members',
      organizationId: org.organizationId,
      bucketPrefix: org.bucketPrefix,
    });
    const code = new MemberCodeStack(app, `EksEndpointGuardCode-${region}`, {
      env: { region },
      description: 'eks-endpoint-guard: publishes the member code to its regional bucket',
      bucketPrefix: org.bucketPrefix,
      template,
    });
    code.addStackDependency(bucket);
    stackSet.addStackDependency(code);
  }

  if (central) {
    new CentralStack(app, 'EksEndpointGuardCentral', {
      env: { account: central, region: org.centralRegion },
      description: 'eks-endpoint-guard: central bus, alerts, audit and watchdog of the organisation',
      organizationId: org.organizationId,
      regions: org.regions,
      stackSet: {
        name: stackSet.stackSet.stackSetName ?? DEFAULT_STACKSET_NAME,
        region: org.homeRegion,
        memberSweepSchedule: member.sweepSchedule ?? DEFAULT_SWEEP_SCHEDULE,
      },
      ...(org.managementAccountId && { managementAccountId: org.managementAccountId }),
      notificationEmails: list(app.node.tryGetContext('centralNotificationEmails')),
      slack: slackChannelList(app.node.tryGetContext('centralSlackChannels')),
      teams: teamsChannelList(app.node.tryGetContext('centralTeamsChannels')),
      sharedPolicy: org.managementAccountId
        ? { managementAccountId: org.managementAccountId, policyFile: member.policyFile }
        : undefined,
    });
  }
}

/** The org app as `cdk synth` runs it: stacks, tags and the AwsSolutions checks. */
export function configureOrgApp(app: App): void {
  buildOrgApp(app);
  applyStandards(app);
}
