import type { AwsClients } from '../aws/clients';
import { ConfigError } from '../wiring/config';
import { CliError, oneLine, PROGRAM } from './cli-error';

export { CliError, oneLine, PROGRAM };

export const CONFIG_HINT =
  'run "npm run cli -- local-env" against an emulator, or set POLICY_PARAMETER_NAME, TOPIC_ARN, RECHECK_QUEUE_URL, AUDIT_TABLE_NAME and AWS_REGION';

/** Where a failed AWS call came from, attached by the middleware below. */
interface CallInfo {
  call: string;
  resource?: string;
}

const CALL_INFO = Symbol.for('eks-endpoint-guard/aws-call');

/** The part of the SDK's middleware stack used here (the same for every client). */
type CallHandler = (args: { input?: unknown }) => Promise<unknown>;
interface CallStack {
  add(
    middleware: (next: CallHandler, context: { commandName?: string }) => CallHandler,
    options: { step: 'initialize'; name: string; override: boolean },
  ): void;
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
];

/**
 * Tags every error an AWS client raises with the operation and the resource it was about, so that
 * the one-line message can say "DescribeCluster on prod-api failed" instead of a bare exception name.
 */
export function nameFailedCalls(clients: Partial<AwsClients>): void {
  for (const client of Object.values(clients) as unknown as { middlewareStack: CallStack }[]) {
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

/** The one line printed for any error: what is wrong and where, never a stack trace. */
export function errorLine(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  return `${PROGRAM}: ${oneLine(describeError(error, env))}`;
}

export function describeError(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (error instanceof ConfigError) return `${error.message}; ${CONFIG_HINT}`;
  if (!(error instanceof Error)) return `unexpected failure: ${String(error)}`;
  // Errors of the guard's own kinds (PolicyError, SweepIncompleteError, ...) already read as one line.
  if (error instanceof CliError || error.name === 'EmulatorError') return error.message;
  const failed = findFailedCall(error);
  if (!failed) return error.message || error.name;
  const { call, cause } = failed;
  const where = call.resource ? `${call.call} on ${call.resource}` : call.call;
  const network = networkFault(cause);
  if (network) {
    const endpoint = env.AWS_ENDPOINT_URL ? ` at ${env.AWS_ENDPOINT_URL}` : '';
    return `${where} failed: cannot reach the AWS endpoint${endpoint} (${network})`;
  }
  return `${where} failed: ${awsMessage(cause)}`;
}

/** The AWS call behind an error, following causes (Powertools and the guard wrap SDK errors). */
function findFailedCall(error: Error): { call: CallInfo; cause: Error } | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const call = (e as { [CALL_INFO]?: CallInfo })[CALL_INFO];
    if (call) return { call, cause: e };
  }
  return undefined;
}

function awsMessage(error: Error): string {
  const message = error.message && error.message !== error.name ? error.message : '';
  if (!message) return error.name;
  if (message.includes(error.name) || error.name === 'Error') return message;
  return `${error.name}: ${message}`;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);

function networkFault(error: Error): string | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (code && NETWORK_CODES.has(code)) return code;
  if (error.name === 'TimeoutError') return 'timed out';
  if (error.name === 'AggregateError' || /ECONNREFUSED/.test(error.message)) return 'ECONNREFUSED';
  return undefined;
}
