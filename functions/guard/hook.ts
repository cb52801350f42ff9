import { alertFor } from '../core/alert/alert';
import type { IacVerdict } from '../core/iac/evaluate';
import { answerWithoutPolicy, decideHook } from '../core/iac/hook-decision';
import { type HookRequest, type HookResponse, hookResponse, readHookRequest } from '../core/iac/hook-request';
import type { CheckResult } from '../core/result';
import type { NotifierPort, PolicyPort } from '../ports';

/**
 * The CloudFormation Lambda hook (DESIGN §17): the live policy applied to an `AWS::EKS::Cluster`
 * before CloudFormation or Cloud Control creates or updates it. It always answers, within the 30
 * seconds the caller waits. Its own faults (a policy it cannot read, SSM throttling, a request it
 * cannot understand) never block every EKS deployment by accident: `onHookError` decides, `allow`
 * (the default) with an alert or `deny`, and every fault is alerted.
 */
export interface HookOptions {
  onHookError: 'allow' | 'deny';
  /** The region the hook runs in: alerts name it. */
  region: string;
  /** How long reading the policy may take, and publishing a fault's alert: within the caller's 30 s. */
  policyTimeoutMs: number;
  alertTimeoutMs: number;
}

export interface HookPorts {
  policy: PolicyPort;
  notifier: NotifierPort;
  clock: () => Date;
}

/** Where the hook's decisions and faults go; the handler wires it to the logger. */
export interface HookTelemetry {
  answered(response: HookResponse, request?: HookRequest, verdict?: IacVerdict): void;
  fault(fault: string, request?: HookRequest, error?: unknown): void;
  alertFailed(error: unknown): void;
}

export const DEFAULT_HOOK_TIMEOUTS = { policyTimeoutMs: 10_000, alertTimeoutMs: 5_000 } as const;

export async function answerHook(
  event: unknown,
  ports: HookPorts,
  options: HookOptions,
  telemetry?: HookTelemetry,
): Promise<HookResponse> {
  const read = readHookRequest(event);
  if (!read.ok)
    return fault(read.fault, { token: read.token, cloudControl: true }, undefined, ports, options, telemetry);
  const request = read.request;
  try {
    const skip = answerWithoutPolicy(request);
    if (skip) return answered(skip, request, undefined, telemetry);
    let loaded: Awaited<ReturnType<PolicyPort['load']>>;
    try {
      loaded = await withDeadline(ports.policy.load(), options.policyTimeoutMs, 'reading the policy');
    } catch (error) {
      return fault(
        `the policy ${ports.policy.parameterName} could not be read: ${messageOf(error)}`,
        request,
        error,
        ports,
        options,
        telemetry,
      );
    }
    const decision = decideHook(request, loaded.policy, ports.clock());
    if (decision.kind === 'fault')
      return fault(decision.fault, request, undefined, ports, options, telemetry);
    return answered(decision.response, request, decision.verdict, telemetry);
  } catch (error) {
    return fault(`unexpected error: ${messageOf(error)}`, request, error, ports, options, telemetry);
  }
}

function answered(
  response: HookResponse,
  request: HookRequest,
  verdict: IacVerdict | undefined,
  telemetry: HookTelemetry | undefined,
): HookResponse {
  telemetry?.answered(response, request, verdict);
  return response;
}

/** The hook could not decide: alert, then answer as onHookError says. */
async function fault(
  reason: string,
  request: Pick<HookRequest, 'token' | 'cloudControl'> & Partial<HookRequest>,
  error: unknown,
  ports: HookPorts,
  options: HookOptions,
  telemetry: HookTelemetry | undefined,
): Promise<HookResponse> {
  const full = request.logicalId ? (request as HookRequest) : undefined;
  telemetry?.fault(reason, full, error);
  const allow = options.onHookError === 'allow';
  const consequence = allow
    ? 'the operation was allowed unchecked (onHookError allow); the guard checks the cluster once it exists'
    : 'the operation was refused (onHookError deny)';
  try {
    const alert = alertFor(faultResult(reason, consequence, request, ports.clock(), options), {
      exemptionTag: null,
      policyParameter: ports.policy.parameterName,
    });
    if (alert)
      await withDeadline(ports.notifier.publish(alert), options.alertTimeoutMs, 'publishing the alert');
  } catch (alertError) {
    telemetry?.alertFailed(alertError);
  }
  const message = `The eks-endpoint-guard hook could not check this operation: ${reason}; ${consequence}.`;
  const response = allow
    ? hookResponse(request, 'SUCCESS', message)
    : hookResponse(request, 'FAILED', message, 'InternalFailure');
  telemetry?.answered(response, full);
  return response;
}

/** A `failed` decision for the alert topic: its subscribers already route and read those. */
function faultResult(
  reason: string,
  consequence: string,
  request: Partial<HookRequest> & { token: string },
  now: Date,
  options: HookOptions,
): CheckResult {
  const properties = request.properties as { Name?: unknown } | undefined;
  const name = typeof properties?.Name === 'string' ? properties.Name : (request.logicalId ?? 'unknown');
  const where = request.cloudControl ? 'a Cloud Control API call' : (request.stackId ?? 'a stack');
  return {
    cluster: name.slice(0, 100),
    region: options.region,
    ...(request.account && /^\d{12}$/.test(request.account) ? { account: request.account } : {}),
    outcome: 'failed',
    reason: `the CloudFormation hook could not check ${request.logicalId ?? 'a resource'} of ${where} before deploy: ${reason}; ${consequence}`,
    time: now.toISOString(),
    correlationId: request.token || `hook-${now.getTime()}`,
    trigger: {
      source: 'event',
      eventName: `CloudFormation hook ${request.invocationPoint ?? ''}`.trim().slice(0, 64),
      ...(request.token ? { eventId: request.token.slice(0, 128) } : {}),
      eventTime: now.toISOString(),
    },
    attempt: 0,
  };
}

/** Rejects when `promise` has not settled within `ms`: the hook answers in time, whatever AWS does. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`
      : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 500);
}
