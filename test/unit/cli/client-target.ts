import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a client is configured with, read from its resolved configuration. */
export interface ConfiguredTarget {
  /** `protocol//hostname:port` of the endpoint given to the client, if any. */
  endpoint?: string;
  accessKeyId: string;
}

interface InspectableClient {
  config: {
    endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number }>;
    credentials: () => Promise<{ accessKeyId: string }>;
  };
}

export async function configuredTarget(client: unknown): Promise<ConfiguredTarget> {
  const { config } = client as InspectableClient;
  const endpoint = config.endpoint ? await config.endpoint() : undefined;
  const { accessKeyId } = await config.credentials();
  return {
    ...(endpoint ? { endpoint: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}` } : {}),
    accessKeyId,
  };
}

/** Where a request would go and whose key signs it. */
export interface SentTarget {
  host: string;
  accessKeyId: string;
}

class Captured extends Error {
  override readonly name = 'Captured';
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: unknown) => (args: { request: unknown }) => Promise<never>,
      options: { step: 'deserialize'; priority: 'low'; name: string },
    ): void;
  };
  send(command: unknown): Promise<unknown>;
}

/**
 * Sends `command` and stops it after endpoint resolution and signing, before anything leaves the
 * process: the host it was addressed to and the access key in its signature.
 */
export async function sentTarget(client: unknown, command: unknown): Promise<SentTarget> {
  const target = client as MiddlewareClient;
  let sent: SentTarget | undefined;
  target.middlewareStack.add(
    () => async (args) => {
      const request = args.request as { hostname: string; port?: number; headers: Record<string, string> };
      const credential = /Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? '';
      sent = {
        host: `${request.hostname}${request.port ? `:${request.port}` : ''}`,
        accessKeyId: credential,
      };
      throw new Captured('request captured');
    },
    { step: 'deserialize', priority: 'low', name: 'captureTarget' },
  );
  await target.send(command).catch((error: unknown) => {
    if (!(error instanceof Captured)) throw error;
  });
  if (!sent) throw new Error('the request was not captured');
  return sent;
}

const AWS_VARIABLES = [
  'AWS_ENDPOINT_URL',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
];

/** The two ways a machine can tell the SDK to ignore AWS_ENDPOINT_URL, each with real-looking keys. */
export const BYPASSES: [string, (dir: string) => NodeJS.ProcessEnv][] = [
  [
    'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true with access keys in the environment',
    () => ({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENTKEY01',
      AWS_SECRET_ACCESS_KEY: 'environment-secret',
    }),
  ],
  [
    'ignore_configured_endpoint_urls in the shared config, with the profile keys',
    (dir) => {
      const config = join(dir, 'config');
      const credentials = join(dir, 'credentials');
      writeFileSync(
        config,
        '[default]\nignore_configured_endpoint_urls = true\n\n[profile work]\nignore_configured_endpoint_urls = true\nendpoint_url = https://example.com\n',
      );
      writeFileSync(
        credentials,
        '[work]\naws_access_key_id = AKIAPROFILEKEY000001\naws_secret_access_key = profile-secret\n',
      );
      return {
        AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
        AWS_CONFIG_FILE: config,
        AWS_SHARED_CREDENTIALS_FILE: credentials,
        AWS_PROFILE: 'work',
      };
    },
  ],
];

/** Runs `act` with only the given AWS variables set (config files in a fresh directory), then restores. */
export async function withAwsEnvironment<T>(
  variables: (dir: string) => NodeJS.ProcessEnv,
  act: () => Promise<T>,
): Promise<T> {
  const saved = Object.fromEntries(AWS_VARIABLES.map((name) => [name, process.env[name]]));
  const dir = mkdtempSync(join(tmpdir(), 'guard-aws-config-'));
  try {
    for (const name of AWS_VARIABLES) delete process.env[name];
    Object.assign(process.env, variables(dir));
    return await act();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
