import type * as TracerModule from '@aws-lambda-powertools/tracer';
import type * as TracerMiddleware from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';
import type { AnyAwsClient } from '../aws/clients';

/**
 * Powertools' own rule for an active Tracer: in a Lambda execution environment (not SAM local or
 * the Amplify mock) unless POWERTOOLS_TRACE_ENABLED is false. Anywhere else the Tracer would be a
 * no-op, so the X-Ray SDK it carries (the largest part of the bundle) is not even loaded.
 */
export function tracingActive(env: NodeJS.ProcessEnv = process.env): boolean {
  const execution = env.AWS_EXECUTION_ENV ?? '';
  if ((env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase() === 'false') return false;
  return execution !== '' && execution !== 'AWS_Lambda_amplify-mock' && !env.AWS_SAM_LOCAL;
}

export interface Tracing {
  /** Traces each call of an SDK client (an X-Ray subsegment per call). */
  captureClient(client: AnyAwsClient): void;
  /** The handler's segment: cold start and service annotations, the response or the error. */
  middleware: MiddlewareObj;
}

/**
 * The Powertools Tracer when tracing is active, else nothing. The `require`s inside the function
 * are bundled inline by esbuild but evaluated only when it is called.
 */
export function loadTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (!tracingActive(env)) return undefined;
  const { Tracer } = require('@aws-lambda-powertools/tracer') as typeof TracerModule;
  const { captureLambdaHandler } =
    require('@aws-lambda-powertools/tracer/middleware') as typeof TracerMiddleware;
  const tracer = new Tracer({ serviceName });
  return {
    captureClient: (client) => {
      tracer.captureAWSv3Client(client);
    },
    middleware: captureLambdaHandler(tracer) as MiddlewareObj,
  };
}
