import { CliError } from './cli-error';

/**
 * Where a command that writes (policy publish, check --fix, invoke, audit digest, local-env) may send its
 * requests: AWS's own endpoints over HTTPS, or an emulator on this machine. Anything else, set by
 * AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE> or a profile's endpoint_url, is named and refused
 * unless the command is told so with --allow-endpoint; plain HTTP to another machine, never.
 */

/** The DNS suffixes of the AWS partitions and their dual-stack endpoints (from the AWS SDK's partitions). */
export const AWS_DNS_SUFFIXES = [
  'amazonaws.com',
  'amazonaws.com.cn',
  'amazonaws.eu',
  'c2s.ic.gov',
  'sc2s.sgov.gov',
  'cloud.adc-e.uk',
  'csp.hci.ic.gov',
  'api.aws',
  'api.amazonwebservices.com.cn',
  'api.amazonwebservices.eu',
  'api.aws.ic.gov',
  'api.aws.hci.ic.gov',
  'api.aws.scloud',
  'api.cloud-aws.adc-e.uk',
] as const;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True for `http(s)://localhost`, `127.x.x.x` and `[::1]` URLs. */
export function isLoopbackUrl(text: string): boolean {
  const url = parse(text);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
  return LOOPBACK_HOSTS.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname);
}

/** True for an HTTPS URL whose host is under an AWS partition's DNS suffix. */
export function isAwsEndpoint(text: string): boolean {
  const url = parse(text);
  if (url?.protocol !== 'https:') return false;
  return AWS_DNS_SUFFIXES.some((suffix) => url.hostname.endsWith(`.${suffix}`));
}

/**
 * Why a command may not write to `endpoint`, or undefined when it may. `allowed` holds the
 * endpoints the person named with --allow-endpoint (compared by origin: scheme, host and port).
 */
export function endpointRefusal(endpoint: string, allowed: readonly string[]): string | undefined {
  if (isLoopbackUrl(endpoint) || isAwsEndpoint(endpoint)) return undefined;
  const url = parse(endpoint);
  if (!url) return `refusing to write to ${endpoint}: not a URL`;
  if (url.protocol !== 'https:') {
    return `refusing to write to ${url.origin}: plain HTTP to anything but a loopback emulator would carry the requests unencrypted (never allowed, not even with --allow-endpoint)`;
  }
  if (allowed.some((a) => parse(a)?.origin === url.origin)) return undefined;
  return `refusing to write to ${url.origin}: it is neither an AWS endpoint nor a loopback emulator (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE> or the profile's endpoint_url sends requests there); if it is meant, add --allow-endpoint ${url.origin}`;
}

/** `--allow-endpoint URL`: an https URL, kept as its origin. */
export function parseAllowedEndpoint(text: string): string {
  const url = parse(text);
  if (url?.protocol !== 'https:' || url.username || url.password) {
    throw new CliError(
      `--allow-endpoint "${text}": expected an https URL such as https://aws-proxy.example.com`,
    );
  }
  return url.origin;
}

/** The part of the SDK's middleware stack used here (the same for every client). */
type BuildHandler = (args: { request?: unknown }) => Promise<unknown>;
interface BuildStack {
  add(
    middleware: (next: BuildHandler) => BuildHandler,
    options: { step: 'build'; name: string; override: boolean },
  ): void;
}

/**
 * Checks every request of `clients` before it leaves: one that would go anywhere `endpointRefusal`
 * refuses fails with a one-line error naming the command and the endpoint, and nothing is sent.
 */
export function refuseForeignEndpoints(
  clients: object,
  command: string,
  allowed: readonly string[],
  /** Told every endpoint a request goes to (publish names where it wrote). */
  onEndpoint?: (endpoint: string) => void,
): void {
  for (const client of Object.values(clients) as { middlewareStack: BuildStack }[]) {
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { protocol?: string; hostname?: string; port?: number } | undefined;
        if (request?.hostname) {
          const host = request.hostname.includes(':') ? `[${request.hostname}]` : request.hostname;
          const endpoint = `${request.protocol ?? 'https:'}//${host}${request.port ? `:${request.port}` : ''}`;
          const refusal = endpointRefusal(endpoint, allowed);
          if (refusal) throw new CliError(`${command}: ${refusal}`);
          onEndpoint?.(endpoint);
        }
        return next(args);
      },
      { step: 'build', name: 'eksEndpointGuardWriteEndpoint', override: true },
    );
  }
}

function parse(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
