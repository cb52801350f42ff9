import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { type AwsClients, createAwsClients } from '../aws/clients';
import { type GuardConfig, loadConfig } from '../config';
import type { GuardPorts } from '../ports';
import { observer } from '../remediator/observe';
import type { ProcessOptions } from '../remediator/process-event';
import { createPorts, guardOptions } from '../wiring';
import { nameFailedCalls } from './errors';

/** What a command needs to run the guard the way the Lambda does, from the same environment. */
export interface GuardRuntime {
  config: GuardConfig;
  clients: AwsClients;
  ports: GuardPorts;
  /** The options the Lambda handler builds, with `act` chosen by the command. */
  processOptions(act: boolean): ProcessOptions;
}

export function guardRuntime(env: NodeJS.ProcessEnv = process.env, given?: AwsClients): GuardRuntime {
  const config = loadConfig(env);
  const clients = given ?? awsClients(config.AWS_REGION);
  const ports = createPorts(config, clients);
  const logger = new Logger({ serviceName: 'eks-endpoint-guard' });
  const metrics = new Metrics({ namespace: 'EksEndpointGuard', serviceName: 'eks-endpoint-guard' });
  const { telemetry, observe } = observer(logger, metrics);
  return {
    config,
    clients,
    ports,
    processOptions: (act) => ({
      region: config.AWS_REGION,
      guardRoleArn: config.GUARD_ROLE_ARN,
      sweepConcurrency: config.SWEEP_CONCURRENCY,
      guard: guardOptions(config, act),
      telemetry,
      observe,
    }),
  };
}

/** SDK clients whose failures name the call and the resource. */
export function awsClients(region: string): AwsClients {
  const clients = createAwsClients(region);
  nameFailedCalls(clients);
  return clients;
}
