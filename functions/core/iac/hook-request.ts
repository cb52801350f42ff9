import { quote } from '../quote';
import { CLUSTER_TYPE } from './cluster';
import { isRecord } from './source';

/**
 * A CloudFormation Lambda hook request for a resource operation (a stack's or Cloud Control
 * API's), read defensively: every field is untrusted and may be missing or of another type.
 * Shape: AWS's Lambda hook contract (awsAccountId, stackId, actionInvocationPoint, requestData
 * { targetName, targetType, targetLogicalId, targetModel { resourceProperties,
 * previousResourceProperties } }, clientRequestToken).
 */
export interface HookRequest {
  /** Echoed in every answer; empty when the request carries none. */
  token: string;
  account?: string;
  /** CREATE_PRE_PROVISION, UPDATE_PRE_PROVISION, DELETE_PRE_PROVISION, or what the request says. */
  invocationPoint?: string;
  targetName?: string;
  targetType?: string;
  logicalId: string;
  /** Empty for a Cloud Control API call. */
  stackId: string;
  cloudControl: boolean;
  properties: unknown;
  previousProperties: unknown;
}

export type ReadHookRequest =
  | { ok: true; request: HookRequest }
  | { ok: false; token: string; fault: string };

/** The longest a message may be: CloudFormation keeps 4,096 characters, Cloud Control 1,024. */
export const MESSAGE_LIMIT = { cloudFormation: 4096, cloudControl: 1024 } as const;

export function readHookRequest(event: unknown): ReadHookRequest {
  const token =
    textOf(isRecord(event) ? (event.clientRequestToken ?? event.clientRequesttoken) : undefined) ?? '';
  if (!isRecord(event)) return { ok: false, token, fault: `the request is ${quote(event)}, not an object` };
  const data = event.requestData;
  if (!isRecord(data)) return { ok: false, token, fault: 'the request has no requestData object' };
  const stackId = textOf(event.stackId ?? event.stackID) ?? '';
  const model = isRecord(data.targetModel) ? data.targetModel : {};
  return {
    ok: true,
    request: {
      token,
      ...optional('account', textOf(event.awsAccountId)),
      ...optional('invocationPoint', textOf(event.actionInvocationPoint)),
      ...optional('targetName', textOf(data.targetName)),
      ...optional('targetType', textOf(data.targetType)),
      logicalId: textOf(data.targetLogicalId) ?? '(no logical id)',
      stackId,
      cloudControl: stackId === '',
      properties: model.resourceProperties,
      previousProperties: model.previousResourceProperties,
    },
  };
}

/** True when the request is about an EKS cluster (a stack's resource, or a Cloud Control `RESOURCE`). */
export function isClusterRequest(request: HookRequest): boolean {
  return request.targetName === CLUSTER_TYPE || request.targetType === CLUSTER_TYPE;
}

export interface HookResponse {
  hookStatus: 'SUCCESS' | 'FAILED';
  errorCode?: 'NonCompliant' | 'InternalFailure';
  message: string;
  clientRequestToken: string;
}

/** The answer, with the message cut to what the caller keeps (CloudFormation 4,096, Cloud Control 1,024). */
export function hookResponse(
  request: Pick<HookRequest, 'token' | 'cloudControl'>,
  status: HookResponse['hookStatus'],
  message: string,
  errorCode?: HookResponse['errorCode'],
): HookResponse {
  const limit = request.cloudControl ? MESSAGE_LIMIT.cloudControl : MESSAGE_LIMIT.cloudFormation;
  return {
    hookStatus: status,
    ...(errorCode ? { errorCode } : {}),
    message: clip(message, limit),
    clientRequestToken: request.token,
  };
}

function clip(text: string, limit: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 3)}...`;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
