import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createAwsClients } from '../aws/clients';
import { accountOfArn } from '../core/arn';
import { processEvent } from '../guard/process-event';
import { loadConfig } from '../wiring/config';
import { observer } from '../wiring/observe';
import { createPorts, guardOptions } from '../wiring/ports';
import { loadTracing } from './tracing';

// Created once per execution environment: configuration, telemetry and SDK clients.
const config = loadConfig();
const logger = new Logger({ serviceName: 'eks-endpoint-guard' });
const metrics = new Metrics({ namespace: 'EksEndpointGuard', serviceName: 'eks-endpoint-guard' });
// The tracer (and the X-Ray SDK) only where tracing is active: in Lambda, not in the CLI or tests.
const tracing = loadTracing('eks-endpoint-guard');
// Each client is traced when it is first created; none is created before it is needed.
const clients = createAwsClients(config.AWS_REGION, tracing?.captureClient);
const ports = createPorts(config, clients);
const { telemetry, observe } = observer(logger, metrics);
const options = {
  region: config.AWS_REGION,
  account: accountOfArn(config.GUARD_ROLE_ARN),
  guardRoleArn: config.GUARD_ROLE_ARN,
  guardRoleId: config.GUARD_ROLE_ID,
  sweepConcurrency: config.SWEEP_CONCURRENCY,
  guard: guardOptions(config, true),
  telemetry,
  observe,
};

// The function's own ARN names the account it runs in: the first source of the guard's account.
const chain = middy((event: unknown, context: Context) =>
  processEvent(event, ports, {
    ...options,
    account: accountOfArn(context?.invokedFunctionArn) ?? options.account,
  }),
).use(injectLambdaContext(logger, { resetKeys: true }));
export const handler = (tracing ? chain.use(tracing.middleware) : chain).use(logMetrics(metrics));
