/**
 * CloudTrail records of the calls that went through the storm's proxy, as EventBridge hands them
 * to the function ("AWS API Call via CloudTrail"): the guard's rules match successful EKS
 * CreateCluster, UpdateClusterConfig, TagResource and UntagResource calls and changes of the
 * policy parameter. The identity is what CloudTrail would name: a session of the guard's role for
 * a worker, a session of a people's role for a person.
 */
export interface TrailContext {
  account: string;
  region: string;
  guardRoleArn: string;
  guardRoleId: string;
}

export interface TrailCall {
  eventId: string;
  time: Date;
  eventSource: 'eks.amazonaws.com' | 'ssm.amazonaws.com';
  eventName: string;
  by: { kind: 'guard'; worker: number } | { kind: 'person'; id: number };
  requestParameters: Record<string, unknown>;
  responseElements?: Record<string, unknown>;
}

export const EKS_TRAIL_EVENTS = ['CreateCluster', 'UpdateClusterConfig', 'TagResource', 'UntagResource'];
export const SSM_TRAIL_EVENTS = ['PutParameter'];

const PEOPLE_ROLE = 'PlatformEngineer';
const PEOPLE_ROLE_ID = 'AROASTORMPEOPLEROLE01';

export function trailEvent(call: TrailCall, context: TrailContext): Record<string, unknown> {
  const time = call.time.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    version: '0',
    id: `eb-${call.eventId}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: call.eventSource === 'eks.amazonaws.com' ? 'aws.eks' : 'aws.ssm',
    account: context.account,
    time,
    region: context.region,
    resources: [],
    detail: {
      eventVersion: '1.10',
      userIdentity: identityOf(call.by, context),
      eventTime: time,
      eventSource: call.eventSource,
      eventName: call.eventName,
      awsRegion: context.region,
      sourceIPAddress: call.by.kind === 'guard' ? 'lambda.amazonaws.com' : '198.51.100.77',
      userAgent: call.by.kind === 'guard' ? 'aws-sdk-js/3 storm-worker' : 'aws-cli/2.22.4 storm-person',
      requestParameters: call.requestParameters,
      responseElements: call.responseElements ?? null,
      requestID: call.eventId,
      eventID: call.eventId,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: context.account,
    },
  };
}

function identityOf(by: TrailCall['by'], context: TrailContext): Record<string, unknown> {
  const roleName = by.kind === 'guard' ? (context.guardRoleArn.split('/').at(-1) ?? 'guard') : PEOPLE_ROLE;
  const roleArn =
    by.kind === 'guard' ? context.guardRoleArn : `arn:aws:iam::${context.account}:role/${PEOPLE_ROLE}`;
  const roleId = by.kind === 'guard' ? context.guardRoleId : PEOPLE_ROLE_ID;
  const session = by.kind === 'guard' ? `worker-${by.worker}` : `person-${by.id}`;
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${session}`,
    arn: `arn:aws:sts::${context.account}:assumed-role/${roleName}/${session}`,
    accountId: context.account,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: roleId,
        arn: roleArn,
        accountId: context.account,
        userName: roleName,
      },
      attributes: { creationDate: new Date(0).toISOString(), mfaAuthenticated: 'false' },
    },
  };
}

/** The schedule's event for a sweep, as EventBridge sends it. */
export function scheduleEvent(id: string, time: Date, context: TrailContext): Record<string, unknown> {
  return {
    version: '0',
    id,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: context.account,
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: context.region,
    resources: [`arn:aws:events:${context.region}:${context.account}:rule/eks-endpoint-guard-sweep`],
    detail: {},
  };
}
