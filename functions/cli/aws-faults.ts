import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isLoopbackUrl } from './endpoint-policy';

/**
 * The AWS faults people meet on the command line, in the project's words: what is wrong, where,
 * and what to do (no credentials or an unknown profile, credentials AWS refuses, a region where the
 * guard is not deployed, an endpoint that does not answer, a call the identity may not make).
 */

/** The AWS call an error came from (errors.ts tags every client's errors with it). */
export interface CallInfo {
  /** `DescribeCluster`. */
  call: string;
  /** What the call was about: a cluster, table, topic, queue or parameter name. */
  resource?: string;
  /** `EKSClient`. */
  client?: string;
  region?: string;
  /** `https://eks.eu-west-1.amazonaws.com`: where the request went. */
  endpoint?: string;
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthorizationErrorException',
  'Forbidden',
]);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const REFUSED_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'AuthFailure',
  'IncompleteSignature',
  'InvalidAccessKeyId',
]);
const CREDENTIAL_PROVIDERS = new Set(['CredentialsProviderError', 'TokenProviderError']);

/** Each client's IAM action prefix, so that "access denied" can name the action. */
const SERVICE_PREFIX: Record<string, string> = {
  EKSClient: 'eks',
  EC2Client: 'ec2',
  SSMClient: 'ssm',
  SNSClient: 'sns',
  SQSClient: 'sqs',
  DynamoDBClient: 'dynamodb',
  CloudTrailClient: 'cloudtrail',
  SecurityHubClient: 'securityhub',
  CloudFormationClient: 'cloudformation',
  EventBridgeClient: 'events',
  S3Client: 's3',
  CloudWatchLogsClient: 'logs',
};

/** A missing resource by the error AWS gives for it: what the guard calls it. */
function missingResource(
  name: string,
  client: string | undefined,
): { noun: string; guards: boolean } | undefined {
  if (client === 'DynamoDBClient' && name === 'ResourceNotFoundException')
    return { noun: 'the audit table', guards: true };
  if (name === 'ParameterNotFound') return { noun: 'the policy parameter', guards: true };
  if (client === 'SNSClient' && (name === 'NotFoundException' || name === 'NotFound'))
    return { noun: 'the alert topic', guards: true };
  if (name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue')
    return { noun: 'the recheck queue', guards: true };
  if (client === 'EKSClient' && name === 'ResourceNotFoundException')
    return { noun: 'the cluster', guards: false };
  if (client === 'EventBridgeClient' && name === 'ResourceNotFoundException')
    return { noun: 'the event bus', guards: true };
  return undefined;
}

/** The credentials could not be found or loaded: what to do, for the profile asked for or none. */
export function credentialsFault(error: Error, env: NodeJS.ProcessEnv): string | undefined {
  if (!CREDENTIAL_PROVIDERS.has(error.name)) return undefined;
  const profile = env.AWS_PROFILE;
  if (!profile) {
    return 'no AWS credentials found: give --profile NAME (or set AWS_PROFILE), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any values against an emulator)';
  }
  if (profileKnown(profile, env) === false) {
    return `the AWS profile "${profile}" is not in ${configFile(env)} or ${credentialsFile(env)}: check --profile (aws configure list-profiles lists them)`;
  }
  if (/sso/i.test(error.message)) {
    return `the SSO sign-in of AWS profile "${profile}" is missing or expired: run aws sso login --profile ${profile}`;
  }
  return `the AWS profile "${profile}" gave no credentials (${firstSentence(error.message)}): check it with aws configure list --profile ${profile}`;
}

/** What a failed call means, or undefined when AWS's own words are the best there are. */
export function callFault(call: CallInfo, error: Error, env: NodeJS.ProcessEnv): string | undefined {
  const region = call.region ?? env.AWS_REGION ?? 'the region';
  const where = call.resource ? `${call.call} on ${call.resource}` : call.call;
  const name = error.name;
  const message = firstSentence(error.message);
  if (ACCESS_DENIED.has(name) || /not authori[sz]ed to perform/i.test(error.message)) {
    const action =
      /perform:? ([a-z0-9-]+:[A-Za-z0-9]+)/.exec(error.message)?.[1] ??
      `${SERVICE_PREFIX[call.client ?? ''] ?? 'aws'}:${call.call}`;
    const who = /User: (arn:\S+)/.exec(error.message)?.[1];
    const on = /on resource:? (arn:\S+)/.exec(error.message)?.[1]?.replace(/[.,;]$/, '');
    const resource = on ? ` on ${on}` : call.resource ? ` (${call.resource})` : '';
    // An IAM (or SCP) denial names who and what; anything else (a reserved name, say) is AWS's to say.
    return who || /not authori[sz]ed/i.test(error.message)
      ? `access denied: ${who ?? 'the AWS identity in use'} may not call ${action}${resource}; its IAM policy (or a service control policy) must allow that action`
      : `access denied to ${action}${resource}: ${message || name}`;
  }
  if (EXPIRED.has(name) || /token .*expired/i.test(error.message)) {
    const profile = env.AWS_PROFILE ? ` --profile ${env.AWS_PROFILE}` : '';
    return `${where} failed: the AWS credentials have expired (${name}): sign in again (aws sso login${profile}, or new keys)`;
  }
  if (REFUSED_CREDENTIALS.has(name)) {
    return `${where} failed: AWS does not accept the credentials in ${region} (${name}): check them; if ${region} is an opt-in region, enable it for the account`;
  }
  const missing = missingResource(name, call.client);
  if (missing) {
    const what = `${missing.noun}${call.resource ? ` ${call.resource}` : ''}`;
    return missing.guards
      ? `${what} does not exist in ${region}: is the guard deployed there? Choose its region with --region, or read its names from its stack with --stack NAME`
      : `${what} does not exist in ${region}: check the name and the region (--region)`;
  }
  const network = networkFault(error, call, env);
  if (network) return `${where} failed: ${network}`;
  return `${where} failed: ${name !== 'Error' && !message.includes(name) ? `${name}: ` : ''}${message || name}`;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** The endpoint does not answer: the address, why, and what to check. */
export function networkFault(
  error: Error,
  call: Partial<CallInfo>,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const code = codeOf(error);
  if (!code) return undefined;
  const endpoint = call.endpoint ?? env.AWS_ENDPOINT_URL ?? 'the AWS endpoint';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    const host = hostOf(endpoint);
    const region = /\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com/.exec(host)?.[1];
    return region
      ? `cannot resolve ${host}: is ${region} an AWS region (--region, AWS_REGION)? If it is, check the network and DNS`
      : `cannot resolve ${host}: check the endpoint's name and the network`;
  }
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET') {
    const emulator = isLoopbackUrl(endpoint)
      ? ': is the emulator running there? (AWS_ENDPOINT_URL)'
      : ': check the endpoint (AWS_ENDPOINT_URL) and the network';
    return `nothing answers at ${endpoint} (${code === 'ECONNREFUSED' ? 'connection refused' : 'connection reset'})${emulator}`;
  }
  return `${endpoint} does not answer (${code === 'TimeoutError' ? 'timed out' : code}): check the network, a proxy (HTTPS_PROXY) or a firewall`;
}

function codeOf(error: Error): string | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (code && NETWORK_CODES.has(code)) return code;
  if (error.name === 'TimeoutError') return 'TimeoutError';
  // Node tries each address of a name in turn (IPv6, IPv4): all refused is an AggregateError.
  if (error.name === 'AggregateError' || /ECONNREFUSED/.test(error.message)) return 'ECONNREFUSED';
  return undefined;
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).hostname;
  } catch {
    return endpoint;
  }
}

function firstSentence(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function configFile(env: NodeJS.ProcessEnv): string {
  return env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config');
}

function credentialsFile(env: NodeJS.ProcessEnv): string {
  return env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials');
}

/** Whether the shared config or credentials file names the profile (false when neither does). */
export function profileKnown(profile: string, env: NodeJS.ProcessEnv): boolean {
  const escaped = profile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const section = new RegExp(`^\\s*\\[\\s*(profile\\s+)?${escaped}\\s*\\]`, 'm');
  return [configFile(env), credentialsFile(env)].some((file) => {
    try {
      return section.test(readFileSync(file, 'utf8'));
    } catch {
      return false;
    }
  });
}
