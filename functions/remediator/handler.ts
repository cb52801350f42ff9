import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { createAwsClients } from '../aws/clients';
import { loadConfig } from '../config';
import { createPorts, guardOptions } from '../wiring';
import { observer } from './observe';
import { processEvent } from './process-event';
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
  guardRoleArn: config.GUARD_ROLE_ARN,
  sweepConcurrency: config.SWEEP_CONCURRENCY,
  guard: guardOptions(config, true),
  telemetry,
  observe,
};

const chain = middy((event: unknown) => processEvent(event, ports, options)).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
export const handler = (tracing ? chain.use(tracing.middleware) : chain).use(logMetrics(metrics));
