import { ListClustersCommand } from '@aws-sdk/client-eks';
import type { AwsClients } from '../../../functions/aws/clients';
import { deliveredAlert, emulatorClients, retarget } from '../../../functions/cli/sandbox';
import { alertFor, snsMessage } from '../../../functions/core/alert/alert';
import type { CheckResult } from '../../../functions/core/result';
import { BYPASSES, configuredTarget, sentTarget, withAwsEnvironment } from './client-target';

const CLOUDTRAIL = {
  'detail-type': 'AWS API Call via CloudTrail',
  account: '123456789012',
  region: 'us-east-1',
  detail: {
    awsRegion: 'us-east-1',
    recipientAccountId: '123456789012',
    userIdentity: { arn: 'arn:aws:sts::123456789012:assumed-role/Admin/jdoe' },
    requestParameters: { name: 'prod-api', clientRequestToken: 'abc' },
  },
};

describe('retarget', () => {
  it('aims a CloudTrail event at another cluster, account and region', () => {
    // Act
    const event = retarget(CLOUDTRAIL, {
      cluster: 'edge',
      account: '444455556666',
      region: 'eu-west-1',
    }) as typeof CLOUDTRAIL;

    // Assess
    expect(event.account).toBe('444455556666');
    expect(event.region).toBe('eu-west-1');
    expect(event.detail.recipientAccountId).toBe('444455556666');
    expect(event.detail.userIdentity.arn).toBe('arn:aws:sts::444455556666:assumed-role/Admin/jdoe');
    expect(event.detail.requestParameters).toEqual({ name: 'edge', clientRequestToken: 'abc' });
    expect(CLOUDTRAIL.detail.requestParameters.name).toBe('prod-api');
  });

  it('keeps the 2018 clusterName field', () => {
    // Prepare
    const legacy = { detail: { requestParameters: { clusterName: 'legacy-batch' } } };

    // Act
    const event = retarget(legacy, { cluster: 'old' }) as typeof legacy;

    // Assess
    expect(event.detail.requestParameters).toEqual({ clusterName: 'old' });
  });

  it('aims the check requests of an SQS batch', () => {
    // Prepare
    const body = JSON.stringify({ kind: 'k', request: { cluster: 'prod-api', region: 'us-east-1' } });
    const batch = { Records: [{ eventSource: 'aws:sqs', body, awsRegion: 'us-east-1' }] };

    // Act
    const event = retarget(batch, { cluster: 'x', region: 'eu-west-1' }) as typeof batch;

    // Assess
    expect(JSON.parse(event.Records[0]?.body ?? '')).toEqual({
      kind: 'k',
      request: { cluster: 'x', region: 'eu-west-1' },
    });
    expect(event.Records[0]?.awsRegion).toBe('eu-west-1');
  });
});

describe('deliveredAlert', () => {
  it('reads an SQS delivery back into subject, attributes, machine form and the email text', () => {
    // Prepare: what SNS hands an SQS subscriber for a MessageStructure json publish
    const result: CheckResult = {
      cluster: 'prod-api',
      region: 'us-east-1',
      outcome: 'remediated',
      reason: 'changed public (0.0.0.0/0) → private',
      time: '2025-06-03T10:17:05.000Z',
      correlationId: 'c-1',
      trigger: { source: 'event', actorArn: 'arn:aws:sts::111122223333:assumed-role/Admin/jdoe' },
      attempt: 0,
      before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
      after: { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
    };
    const options = { exemptionTag: 'eks-endpoint-guard/exempt', policyParameter: 'the policy parameter' };
    const alert = alertFor(result, options);
    if (!alert) throw new Error('expected an alert');
    const published = snsMessage(alert);
    const body = JSON.stringify({
      Type: 'Notification',
      Subject: published.Subject,
      Message: JSON.parse(published.Message).sqs,
      MessageAttributes: Object.fromEntries(
        Object.entries(published.MessageAttributes).map(([k, v]) => [
          k,
          { Type: 'String', Value: v.StringValue },
        ]),
      ),
    });

    // Act
    const delivered = deliveredAlert(body);

    // Assess
    expect(delivered.subject).toBe(alert.subject);
    expect(delivered.attributes).toEqual({
      outcome: 'remediated',
      cluster: 'prod-api',
      severity: 'warning',
      status: 'open',
    });
    expect(delivered.message).toEqual(alert.json);
    expect(delivered.text).toBe(alert.text);
  });
});

describe('emulatorClients (the demo)', () => {
  const EMULATOR = 'http://127.0.0.1:4566';

  it.each(BYPASSES)(
    'every client targets the emulator with dummy credentials under %s',
    async (_, variables) => {
      // Prepare
      const { configured, sent } = await withAwsEnvironment(variables, async () => {
        const clients = emulatorClients(EMULATOR, 'us-east-1');
        // Act: every client the guard has, however many there are.
        const configured = await Promise.all(
          Object.keys(clients).map(
            async (name) => [name, await configuredTarget(clients[name as keyof AwsClients])] as const,
          ),
        );
        const sent = await sentTarget(clients.eks, new ListClustersCommand({}));
        return { configured, sent };
      });
      // Assess
      expect(configured.length).toBeGreaterThanOrEqual(6);
      for (const [name, target] of configured) {
        expect({ name, ...target }).toEqual({ name, endpoint: EMULATOR, accessKeyId: 'testing' });
      }
      expect(sent).toEqual({ host: '127.0.0.1:4566', accessKeyId: 'testing' });
    },
  );

  it('refuses an emulator endpoint that is not a loopback address', () => {
    // Act
    const act = () => emulatorClients('https://eks.us-east-1.amazonaws.com', 'us-east-1');
    // Assess
    expect(act).toThrow('https://eks.us-east-1.amazonaws.com is not a loopback address: refusing to use it');
  });
});
