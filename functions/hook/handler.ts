import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { createAwsClients } from '../aws/clients';
import { notifier } from '../aws/notifier';
import { policyStore } from '../aws/policy-store';
import { hookResponse, readHookRequest } from '../core/iac/hook-request';
import { parameterRegion } from '../core/parameter-region';
import { answerHook, DEFAULT_HOOK_TIMEOUTS, type HookTelemetry } from '../guard/hook';
import { loadHookConfig } from './config';

// Created once per execution environment: configuration, logger and (lazily) the SDK clients.
const logger = new Logger({ serviceName: 'eks-endpoint-guard-hook' });
const loaded = loadHookConfig();
const ports = loaded.ok ? wire(loaded.config) : undefined;

function wire(config: Extract<typeof loaded, { ok: true }>['config']) {
  const clients = createAwsClients(config.AWS_REGION);
  // A policy shared by ARN (organisation mode) is read in the ARN's region.
  const policyRegion = parameterRegion(config.POLICY_PARAMETER_NAME, config.AWS_REGION);
  const policyClients = policyRegion === config.AWS_REGION ? clients : createAwsClients(policyRegion);
  return {
    config,
    ports: {
      policy: policyStore(() => policyClients.ssm, config.POLICY_PARAMETER_NAME, config.POLICY_CACHE_SECONDS),
      notifier: notifier(() => clients.sns, config.TOPIC_ARN),
      clock: () => new Date(),
    },
  };
}

const telemetry: HookTelemetry = {
  answered(response, request, verdict) {
    logger.info('hook answered', {
      hookStatus: response.hookStatus,
      errorCode: response.errorCode,
      clientRequestToken: response.clientRequestToken,
      invocationPoint: request?.invocationPoint,
      targetName: request?.targetName,
      logicalId: request?.logicalId,
      stackId: request?.stackId,
      status: verdict?.status,
      rules: verdict?.findings.map((f) => f.rule),
    });
  },
  fault(fault, request, error) {
    logger.error('hook fault', { fault, logicalId: request?.logicalId, error: error as Error });
  },
  alertFailed(error) {
    logger.error('could not publish the alert of a hook fault', { error: error as Error });
  },
};

/** The Lambda hook: always answers AWS's hook contract, never throws. */
export const handler = middy(async (event: unknown) => {
  if (!ports) {
    // Unconfigured: no topic to alert; the log says why and onHookError (only an explicit deny) decides.
    const fault = loaded.ok ? 'not configured' : loaded.fault;
    const deny = !loaded.ok && loaded.onHookError === 'deny';
    logger.error('hook fault', { fault });
    const read = readHookRequest(event);
    const request = {
      token: read.ok ? read.request.token : read.token,
      cloudControl: !read.ok || read.request.cloudControl,
    };
    const message = `The eks-endpoint-guard hook could not check this operation: ${fault}`;
    return deny
      ? hookResponse(request, 'FAILED', message, 'InternalFailure')
      : hookResponse(request, 'SUCCESS', `${message}; allowed (onHookError allow)`);
  }
  return answerHook(
    event,
    ports.ports,
    { onHookError: ports.config.ON_HOOK_ERROR, region: ports.config.AWS_REGION, ...DEFAULT_HOOK_TIMEOUTS },
    telemetry,
  );
}).use(injectLambdaContext(logger, { resetKeys: true }));
