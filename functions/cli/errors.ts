import type { AwsClients } from '../aws/clients';
import { ConfigError } from '../wiring/config';
import { type CallInfo, callFault, credentialsFault, networkFault } from './aws-faults';
import { CliError, ErrorInContext, oneLine, PROGRAM } from './cli-error';

export { CliError, ErrorInContext, oneLine, PROGRAM };

export const CONFIG_HINT =
  'run "npm run cli -- local-env" against an emulator, or set POLICY_PARAMETER_NAME, TOPIC_ARN, RECHECK_QUEUE_URL, AUDIT_TABLE_NAME and AWS_REGION';

const CALL_INFO = Symbol.for('eks-endpoint-guard/aws-call');
const ENDPOINT = Symbol.for('eks-endpoint-guard/aws-endpoint');

/** The part of the SDK's middleware stack used here (the same for every client). */
type CallHandler = (args: { input?: unknown; request?: unknown }) => Promise<unknown>;
interface CallStack {
  add(
    middleware: (next: CallHandler, context: { commandName?: string; clientName?: string }) => CallHandler,
    options: { step: 'initialize' | 'build'; name: string; override: boolean },
  ): void;
}
interface TaggedClient {
  middlewareStack: CallStack;
  config?: { region?: unknown };
}

/** Input fields that name the resource of a call, most specific first. */
const RESOURCE_FIELDS = [
  'name',
  'Name',
  'TableName',
  'TopicArn',
  'QueueUrl',
  'QueueName',
  'VpcId',
  'SubnetIds',
  'StackName',
];

/**
 * Tags every error an AWS client raises with the operation, the resource it was about, the client,
 * its region and the endpoint the request went to, so that the one-line message can say "the audit
 * table x does not exist in eu-west-1" instead of a bare exception name.
 */
export function nameFailedCalls(clients: Partial<AwsClients> | Record<string, object>): void {
  for (const client of Object.values(clients) as TaggedClient[]) {
    client.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          const request = args.request as { protocol?: string; hostname?: string; port?: number } | undefined;
          if (error && typeof error === 'object' && !(ENDPOINT in error) && request?.hostname) {
            const port = request.port ? `:${request.port}` : '';
            const endpoint = `${request.protocol ?? 'https:'}//${request.hostname}${port}`;
            Object.defineProperty(error, ENDPOINT, { value: endpoint, enumerable: false });
          }
          throw error;
        }
      },
      { step: 'build', name: 'eksEndpointGuardCallEndpoint', override: true },
    );
    client.middlewareStack.add(
      (next, context) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          if (error && typeof error === 'object' && !(CALL_INFO in error)) {
            const input = (args.input ?? {}) as Record<string, unknown>;
            const field = RESOURCE_FIELDS.find((key) => input[key] !== undefined);
            const value = field ? input[field] : undefined;
            const info: CallInfo = {
              call: String(context.commandName ?? 'an AWS call').replace(/Command$/, ''),
              ...(value !== undefined
                ? { resource: Array.isArray(value) ? value.join(',') : String(value) }
                : {}),
              ...(context.clientName ? { client: context.clientName } : {}),
              ...(await regionOf(client)),
              ...((error as { [ENDPOINT]?: string })[ENDPOINT]
                ? { endpoint: (error as { [ENDPOINT]?: string })[ENDPOINT] }
                : {}),
            };
            Object.defineProperty(error, CALL_INFO, { value: info, enumerable: false });
          }
          throw error;
        }
      },
      { step: 'initialize', name: 'eksEndpointGuardCallName', override: true },
    );
  }
}

async function regionOf(client: TaggedClient): Promise<{ region?: string }> {
  try {
    const region = client.config?.region;
    const value = typeof region === 'function' ? await region() : region;
    return typeof value === 'string' && value ? { region: value } : {};
  } catch {
    return {};
  }
}

/** The one line printed for any error: what is wrong and where, never a stack trace. */
export function errorLine(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  return `${PROGRAM}: ${oneLine(describeError(error, env))}`;
}

export function describeError(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (error instanceof ConfigError) return `${error.message}; ${CONFIG_HINT}`;
  if (!(error instanceof Error)) return `unexpected failure: ${String(error)}`;
  // A refusal of ours, also from inside an AWS call (a write to an endpoint it may not reach): as it is.
  const refusal = findCause(error, (e) => (e instanceof CliError ? e.message : undefined));
  if (refusal) return refusal;
  // What the command was doing (invoke: the cluster it was deciding on), then what went wrong.
  if (error instanceof ErrorInContext) return `${error.context}: ${describeError(error.cause, env)}`;
  // Errors of the guard's own kinds (PolicyError, SweepIncompleteError, ...) already read as one line.
  if (error.name === 'EmulatorError') return error.message;
  const credentials = findCause(error, (e) => credentialsFault(e, env));
  if (credentials) return credentials;
  const failed = findFailedCall(error);
  if (failed) return callFault(failed.call, failed.cause, env) ?? failed.cause.message;
  return findCause(error, (e) => networkFault(e, {}, env)) ?? (error.message || error.name);
}

/** The AWS call behind an error, following causes (Powertools and the guard wrap SDK errors). */
function findFailedCall(error: Error): { call: CallInfo; cause: Error } | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const call = (e as { [CALL_INFO]?: CallInfo })[CALL_INFO];
    if (call) return { call, cause: e };
  }
  return undefined;
}

/** The first answer `read` gives for the error or one of its causes. */
function findCause(error: Error, read: (error: Error) => string | undefined): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const found = read(e);
    if (found) return found;
  }
  return undefined;
}
