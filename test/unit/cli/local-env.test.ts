import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { isLoopbackUrl } from '../../../functions/cli/endpoint-policy';
import {
  assertEmulatorEndpoint,
  emulatorClientConfig,
  localEnvClients,
  shellQuote,
} from '../../../functions/cli/local-env';
import { BYPASSES, configuredTarget, sentTarget, withAwsEnvironment } from './client-target';
import { runInProcess } from './in-process';

describe('isLoopbackUrl', () => {
  it.each([
    'http://127.0.0.1:5000',
    'http://127.10.0.1:4566',
    'http://localhost:5000',
    'https://localhost',
    'http://[::1]:5000',
  ])('accepts %s', (url) => {
    // Act
    const loopback = isLoopbackUrl(url);

    // Assess
    expect(loopback).toBe(true);
  });

  it.each([
    'https://eks.us-east-1.amazonaws.com',
    'http://10.0.0.5:5000',
    'http://127.0.0.1.example.com:5000',
    'http://localhost.example.com',
    'ftp://127.0.0.1',
    'not a url',
  ])('refuses %s', (url) => {
    // Act
    const loopback = isLoopbackUrl(url);

    // Assess
    expect(loopback).toBe(false);
  });
});

describe('assertEmulatorEndpoint', () => {
  it('returns a loopback endpoint', () => {
    // Act
    const endpoint = assertEmulatorEndpoint({ AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' });

    // Assess
    expect(endpoint).toBe('http://127.0.0.1:5000');
  });

  it('refuses to run without an endpoint', () => {
    // Act
    const act = () => assertEmulatorEndpoint({});

    // Assess
    expect(act).toThrow(/^AWS_ENDPOINT_URL is not set: local-env only provisions a local emulator/);
  });

  it('refuses a real AWS endpoint', () => {
    // Act
    const act = () => assertEmulatorEndpoint({ AWS_ENDPOINT_URL: 'https://sqs.us-east-1.amazonaws.com' });

    // Assess
    expect(act).toThrow('AWS_ENDPOINT_URL=https://sqs.us-east-1.amazonaws.com is not a loopback address');
  });

  it('refuses a service endpoint that escapes the emulator', () => {
    // Act
    const act = () =>
      assertEmulatorEndpoint({
        AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
        AWS_ENDPOINT_URL_DYNAMODB: 'https://dynamodb.us-east-1.amazonaws.com',
      });

    // Assess
    expect(act).toThrow(/^AWS_ENDPOINT_URL_DYNAMODB=.* is not a loopback address/);
  });
});

describe('shellQuote', () => {
  it.each([
    ['/eks-endpoint-guard/policy', '/eks-endpoint-guard/policy'],
    ['arn:aws:sns:us-east-1:123456789012:alerts', 'arn:aws:sns:us-east-1:123456789012:alerts'],
    ["it's", "'it'\\''s'"],
    ['a b', "'a b'"],
    ['$HOME', "'$HOME'"],
  ])('quotes %j only when the shell needs it', (value, expected) => {
    // Act
    const quoted = shellQuote(value);

    // Assess
    expect(quoted).toBe(expected);
  });
});

describe('local-env clients never reach a real AWS endpoint', () => {
  const EMULATOR = 'http://127.0.0.1:4566';

  it.each(BYPASSES)(
    'a client configured from the environment alone is sent to AWS under %s',
    async (_, variables) => {
      // Prepare: what the SDK does by itself, and so what local-env must not rely on.
      const target = await withAwsEnvironment(variables, async () => {
        const client = new SSMClient({ region: 'us-east-1' });
        // Act
        return sentTarget(client, new GetParameterCommand({ Name: '/x' }));
      });
      // Assess
      expect(target.host).toBe('ssm.us-east-1.amazonaws.com');
    },
  );

  it.each(BYPASSES)(
    'every client targets the emulator with dummy credentials under %s',
    async (_, variables) => {
      // Prepare
      const { configured, sent } = await withAwsEnvironment(variables, async () => {
        const clients = localEnvClients(EMULATOR, 'us-east-1');
        // Act
        const configured = await Promise.all(
          Object.entries(clients).map(
            async ([name, client]) => [name, await configuredTarget(client)] as const,
          ),
        );
        const sent = await sentTarget(clients.ssm, new GetParameterCommand({ Name: '/x' }));
        return { configured: Object.fromEntries(configured), sent };
      });
      // Assess
      const expected = { endpoint: EMULATOR, accessKeyId: 'testing' };
      expect(configured).toEqual({
        ssm: expected,
        sns: expected,
        sqs: expected,
        dynamodb: expected,
        s3: expected,
      });
      expect(sent).toEqual({ host: '127.0.0.1:4566', accessKeyId: 'testing' });
    },
  );

  it('refuses to configure a client for an endpoint that is not a loopback address', () => {
    // Act
    const act = () => emulatorClientConfig('https://ssm.us-east-1.amazonaws.com', 'us-east-1');
    // Assess
    expect(act).toThrow('https://ssm.us-east-1.amazonaws.com is not a loopback address: refusing to use it');
  });
});

describe('local-env on the command line', () => {
  it('takes --region, --profile and --stack like every other command', async () => {
    // Act
    const run = await runInProcess(['local-env', '--help']);

    // Assess
    const options = run.stdout.split('\n').map((line) => line.trim().split(/\s+/)[0]);
    expect(options).toEqual(expect.arrayContaining(['--region', '--profile', '--stack']));
  });

  it('checks --region before anything else', async () => {
    // Act
    const run = await runInProcess(['local-env', '--region', 'mars-1']);

    // Assess
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'eks-endpoint-guard: --region "mars-1": not an AWS region such as eu-west-1\n',
    });
  });
});
