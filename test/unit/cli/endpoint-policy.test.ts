import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  endpointRefusal,
  isAwsEndpoint,
  parseAllowedEndpoint,
  refuseForeignEndpoints,
} from '../../../functions/cli/endpoint-policy';
import { runInProcess, withEnv } from './in-process';

describe('isAwsEndpoint', () => {
  it.each([
    'https://ssm.eu-west-1.amazonaws.com',
    'https://eks-fips.us-gov-west-1.amazonaws.com',
    'https://sqs.cn-north-1.amazonaws.com.cn',
    'https://dynamodb.eu-west-1.api.aws',
    'https://vpce-0abc-1234.ssm.eu-west-1.vpce.amazonaws.com',
  ])('knows %s', (url) => {
    // Act / Assess
    expect(isAwsEndpoint(url)).toBe(true);
  });

  it.each([
    'http://ssm.eu-west-1.amazonaws.com',
    'https://amazonaws.com.evil.example',
    'https://ssm.eu-west-1.amazonaws.com.evil.example',
    'https://notamazonaws.com',
    'not a url',
  ])('does not take %s for AWS', (url) => {
    // Act / Assess
    expect(isAwsEndpoint(url)).toBe(false);
  });
});

describe('endpointRefusal', () => {
  it.each(['http://127.0.0.1:5000', 'http://localhost:4566', 'https://ssm.eu-west-1.amazonaws.com'])(
    'lets a command write to %s',
    (endpoint) => {
      // Act / Assess
      expect(endpointRefusal(endpoint, [])).toBeUndefined();
    },
  );

  it('names any other endpoint and how to allow it', () => {
    // Act
    const refusal = endpointRefusal('https://aws-proxy.example.com:8443', []);

    // Assess
    expect(refusal).toBe(
      "refusing to write to https://aws-proxy.example.com:8443: it is neither an AWS endpoint nor a loopback emulator (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE> or the profile's endpoint_url sends requests there); if it is meant, add --allow-endpoint https://aws-proxy.example.com:8443",
    );
  });

  it('lets a command write to an https endpoint it was told about, by origin', () => {
    // Act
    const refusal = endpointRefusal('https://aws-proxy.example.com:8443', [
      'https://aws-proxy.example.com:8443',
    ]);

    // Assess
    expect(refusal).toBeUndefined();
  });

  it('never writes over plain HTTP to another machine, allowed or not', () => {
    // Act
    const refusal = endpointRefusal('http://10.1.2.3:4566', ['http://10.1.2.3:4566']);

    // Assess
    expect(refusal).toMatch(/^refusing to write to http:\/\/10\.1\.2\.3:4566: plain HTTP .*never allowed/);
  });
});

describe('parseAllowedEndpoint', () => {
  it('keeps an https URL as its origin', () => {
    // Act / Assess
    expect(parseAllowedEndpoint('https://aws-proxy.example.com/some/path')).toBe(
      'https://aws-proxy.example.com',
    );
  });

  it.each(['http://10.1.2.3:4566', 'aws-proxy.example.com', 'https://user:secret@aws-proxy.example.com'])(
    'refuses %s',
    (text) => {
      // Act / Assess
      expect(() => parseAllowedEndpoint(text)).toThrow(`--allow-endpoint "${text}": expected an https URL`);
    },
  );
});

describe('refuseForeignEndpoints', () => {
  /** An SSM client at `endpoint` whose requests stop just before the network, noting that they got there. */
  function client(endpoint: string, allowed: string[]) {
    const sent: string[] = [];
    const ssm = new SSMClient({
      region: 'eu-west-1',
      endpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    refuseForeignEndpoints({ ssm }, 'policy publish', allowed);
    ssm.middlewareStack.add(
      () => async () => {
        sent.push(endpoint);
        return { output: { $metadata: {} }, response: {} } as never;
      },
      { step: 'finalizeRequest', priority: 'low', name: 'stopBeforeTheNetwork' },
    );
    return { ssm, sent };
  }

  it('sends nothing to an endpoint it may not write to, and says why', async () => {
    // Prepare
    const { ssm, sent } = client('https://aws-proxy.example.com', []);

    // Act
    const call = ssm.send(new GetParameterCommand({ Name: '/p' }));

    // Assess
    await expect(call).rejects.toThrow(
      /^policy publish: refusing to write to https:\/\/aws-proxy\.example\.com: /,
    );
    expect(sent).toEqual([]);
  });

  it('sends to an endpoint it was told about', async () => {
    // Prepare
    const { ssm, sent } = client('https://aws-proxy.example.com', ['https://aws-proxy.example.com']);

    // Act
    await ssm.send(new GetParameterCommand({ Name: '/p' }));

    // Assess
    expect(sent).toEqual(['https://aws-proxy.example.com']);
  });
});

describe('the commands that write', () => {
  const GUARD_ENV = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    POLICY_PARAMETER_NAME: '/eks-endpoint-guard-unit/policy',
    TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:t',
    RECHECK_QUEUE_URL: 'http://127.0.0.1:9/123456789012/q',
    AUDIT_TABLE_NAME: 'guard-audit-unit',
    DIGEST_BUCKET_NAME: 'guard-digests-unit',
  };

  it.each([
    ['policy publish', ['policy', 'publish', 'docs/examples/policy-strict.json', '--yes']],
    ['check --fix', ['check', '--fix']],
    ['invoke', ['invoke', 'events/create-cluster-public.json']],
    ['audit digest', ['audit', 'digest']],
  ])('%s names a plain-HTTP endpoint on another machine and refuses it, exit 1', async (command, args) => {
    // Act: 192.0.2.1 is a documentation address; nothing may be sent there
    const run = await withEnv({ ...GUARD_ENV, AWS_ENDPOINT_URL: 'http://192.0.2.1:4566' }, () =>
      runInProcess(args),
    );

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^eks-endpoint-guard: ${command}: refusing to write to http://192\\.0\\.2\\.1:4566: plain HTTP`,
      ),
    );
  });

  it('check without --fix only reads: it is not refused (here it finds no emulator at the closed port)', async () => {
    // Act
    const run = await withEnv({ ...GUARD_ENV, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }, () =>
      runInProcess(['check']),
    );

    // Assess: and after an error there is no "no clusters" summary
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^eks-endpoint-guard: GetParameter on \/eks-endpoint-guard-unit\/policy failed: nothing answers at http:\/\/127\.0\.0\.1:9 \(connection refused\): is the emulator running there\? \(AWS_ENDPOINT_URL\)\n$/,
    );
  });
});
