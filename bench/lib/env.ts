import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isLoopbackUrl } from '../../functions/cli/endpoint-policy';

export const ROOT = join(__dirname, '..', '..');
/** Scratch space for bundles, synthesised assets and child results (git-ignored). */
export const TMP = join(ROOT, '.bench-tmp');
export const REGION = 'us-east-1';
/** The account the emulator uses for every resource. */
export const EMULATOR_ACCOUNT = '123456789012';
/** A loopback port nothing listens on: a stray AWS call fails here instead of going anywhere. */
export const NOWHERE = 'http://127.0.0.1:9';

export function tmpDir(...parts: string[]): string {
  const dir = join(TMP, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The AWS part of an environment: dummy credentials, us-east-1 and a loopback endpoint, with every
 * variable that could select real credentials, a profile or another endpoint removed.
 */
export function awsEnv(endpoint: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (!isLoopbackUrl(endpoint)) throw new Error(`refusing a non-loopback AWS endpoint: ${endpoint}`);
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (/^AWS_/.test(name) || name === 'NODE_OPTIONS') continue;
    env[name] = value;
  }
  const nowhereFile = join(TMP, 'no-such-aws-config');
  return {
    ...env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_CONFIG_FILE: nowhereFile,
    AWS_SHARED_CREDENTIALS_FILE: nowhereFile,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** Points this process's SDK clients at `endpoint` (created after this call). */
export function useEndpoint(endpoint: string): void {
  const env = awsEnv(endpoint);
  for (const name of Object.keys(process.env)) {
    if (/^AWS_/.test(name)) delete process.env[name];
  }
  Object.assign(process.env, env);
}
