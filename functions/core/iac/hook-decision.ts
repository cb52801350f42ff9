import type { Policy } from '../policy/policy';
import { clusterFromProperties } from './cloudformation';
import { CLUSTER_TYPE, type IacCluster } from './cluster';
import { evaluateCluster, type IacVerdict } from './evaluate';
import { type HookRequest, type HookResponse, hookResponse, isClusterRequest } from './hook-request';
import { rulesText } from './report';
import { isRecord } from './source';
import { fixText } from './words';

/** What the hook answers for one request, decided purely from the request, the policy and the clock. */
export type HookDecision =
  | { kind: 'answer'; response: HookResponse; cluster?: IacCluster; verdict?: IacVerdict }
  /** The request cannot be evaluated (no properties): the hook's onHookError decides. */
  | { kind: 'fault'; fault: string };

const ENDPOINT_KEYS = ['EndpointPublicAccess', 'EndpointPrivateAccess', 'PublicAccessCidrs'] as const;

/**
 * The answer to a request that needs no policy (another resource type, a deletion), or undefined
 * for an EKS cluster being created or updated: a hook fault never touches anything else.
 */
export function answerWithoutPolicy(request: HookRequest): HookResponse | undefined {
  if (!isClusterRequest(request)) {
    const what = `${request.targetName ?? 'the target'} is not an EKS cluster`;
    return hookResponse(request, 'SUCCESS', `${what}: nothing to check`);
  }
  if (request.invocationPoint === 'DELETE_PRE_PROVISION') {
    return hookResponse(request, 'SUCCESS', 'deleting a cluster: nothing to check');
  }
  return undefined;
}

export function decideHook(request: HookRequest, policy: Policy, now: Date): HookDecision {
  const skip = answerWithoutPolicy(request);
  if (skip) return { kind: 'answer', response: skip };
  if (!isRecord(request.properties)) {
    return { kind: 'fault', fault: 'the request carries no resourceProperties for the cluster' };
  }
  const cluster = clusterFromProperties(
    { present: true, raw: withPreviousEndpoint(request) },
    {
      format: 'cloudformation',
      file: request.cloudControl ? 'Cloud Control API' : request.stackId,
      logicalId: request.logicalId,
      resourceType: CLUSTER_TYPE,
      context: { parameters: {}, given: {} },
      ...(request.cloudControl
        ? {
            generatedName: `no name is set, and a Cloud Control call has no template: the policy is applied to the logical id ${request.logicalId} it made up`,
          }
        : {}),
    },
  );
  const verdict = evaluateCluster(cluster, policy, now);
  return { kind: 'answer', response: responseOf(request, cluster, verdict), cluster, verdict };
}

/**
 * On an update whose properties leave an endpoint setting out, the cluster keeps the value it has:
 * the previous properties say which.
 */
function withPreviousEndpoint(request: HookRequest): Record<string, unknown> {
  const properties = request.properties as Record<string, unknown>;
  const previous = request.previousProperties;
  if (request.invocationPoint !== 'UPDATE_PRE_PROVISION' || !isRecord(previous)) return properties;
  const before = isRecord(previous.ResourcesVpcConfig) ? previous.ResourcesVpcConfig : {};
  const after = isRecord(properties.ResourcesVpcConfig) ? properties.ResourcesVpcConfig : {};
  const kept = Object.fromEntries(
    ENDPOINT_KEYS.filter((key) => !Object.hasOwn(after, key) && Object.hasOwn(before, key)).map((key) => [
      key,
      before[key],
    ]),
  );
  if (Object.keys(kept).length === 0) return properties;
  return { ...properties, ResourcesVpcConfig: { ...after, ...kept } };
}

function responseOf(request: HookRequest, cluster: IacCluster, verdict: IacVerdict): HookResponse {
  const who = `EKS cluster "${cluster.name.value}" (${request.logicalId})`;
  const rules = `rules: ${rulesText(verdict)}`;
  const why = verdict.findings.map((f) => `${f.message} [${f.rule}]`).join('; ');
  switch (verdict.status) {
    case 'compliant':
      return hookResponse(request, 'SUCCESS', `${who} complies with the organisation policy (${rules})`);
    case 'exempt': {
      const exemption = verdict.exemption;
      const until = exemption?.expires ? ` until ${exemption.expires}` : '';
      return hookResponse(
        request,
        'SUCCESS',
        `${who} is exempt from the organisation policy (${exemption?.reason ?? 'exempt'}${until}): ${why}`,
      );
    }
    default: {
      // The rules broken and the fix first: a Cloud Control caller keeps only 1,024 characters.
      const broken = [...new Set(verdict.findings.map((f) => f.rule))].join(', ');
      const fix = verdict.target ? ` Write ${fixText(cluster, verdict.target)}.` : '';
      const message = `${who} breaks the organisation policy (${broken}).${fix} Why: ${why} (${rules})`;
      // The policy's notify mode never changes a cluster, and never blocks one either: it warns.
      if (verdict.effective.mode === 'notify') {
        return hookResponse(request, 'SUCCESS', `policy mode notify, not blocked: ${message}`);
      }
      return hookResponse(request, 'FAILED', message, 'NonCompliant');
    }
  }
}
