import 'aws-sdk-client-mock-jest';
import {
  DescribeClusterCommand,
  ListClustersCommand,
  ThrottlingException,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { decisionMessage } from '../../../functions/core/decision-message';
import { processEvent } from '../../../functions/guard/process-event';
import {
  ACCOUNT,
  auditWrites,
  GUARD_SENDER,
  givenCluster,
  givenPolicy,
  lastAlert,
  loadEvent,
  mocks,
  processOptions,
  resetAws,
  testConfig,
  testPorts,
} from '../support/aws';

const run = (event: unknown) => processEvent(event, testPorts(), processOptions());

beforeEach(() => resetAws());

describe('CloudTrail events from events/', () => {
  it('reverts UpdateClusterConfig opening prod-api to 0.0.0.0/0', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', publicAccess: true, privateAccess: false, cidrs: ['0.0.0.0/0'] });

    // Act
    const { results, batchItemFailures } = await run(loadEvent('update-config-open-world.json'));

    // Assess
    expect(batchItemFailures).toEqual([]);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ cluster: 'prod-api', region: 'us-east-1', outcome: 'remediated' });
    expect(mocks.eks).toHaveReceivedCommandWith(UpdateClusterConfigCommand, {
      name: 'prod-api',
      resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true },
    });
    const alert = lastAlert();
    expect(alert.subject).toBe(
      '[eks-endpoint-guard] prod-api: public endpoint turned off (was open to 0.0.0.0/0)',
    );
    expect(alert.text).toContain('arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe');
    expect(alert.text).toContain('198.51.100.77');
    expect(auditWrites()[0]).toMatchObject({
      outcome: 'remediated',
      trigger: { eventName: 'UpdateClusterConfig', eventId: expect.any(String) },
    });
  });

  it('defers CreateCluster with the default public endpoint while the cluster is CREATING', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', status: 'CREATING' });

    // Act
    const { results } = await run(loadEvent('create-cluster-public.json'));

    // Assess
    expect(results[0]).toMatchObject({ cluster: 'prod-api', outcome: 'deferred' });
    expect(mocks.sqs).toHaveReceivedCommandWith(SendMessageCommand, { DelaySeconds: 30 });
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('finds a private CreateCluster compliant', async () => {
    // Prepare
    givenCluster({ name: 'payments', publicAccess: false, privateAccess: true });

    // Act
    const { results } = await run(loadEvent('create-cluster-private.json'));

    // Assess
    expect(results[0]).toMatchObject({ cluster: 'payments', outcome: 'compliant' });
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
  });

  it('narrows the CIDRs of an UpdateClusterConfig under a restricted policy', async () => {
    // Prepare
    givenPolicy({ version: 1, publicAccess: 'restricted', allowedPublicCidrs: ['203.0.113.0/24'] });
    givenCluster({
      name: 'analytics',
      publicAccess: true,
      privateAccess: true,
      cidrs: ['203.0.113.0/24', '192.0.2.0/24'],
    });

    // Act
    const { results } = await run(loadEvent('update-config-cidrs.json'));

    // Assess
    expect(results[0]).toMatchObject({ cluster: 'analytics', outcome: 'remediated' });
    expect(mocks.eks).toHaveReceivedCommandWith(UpdateClusterConfigCommand, {
      resourcesVpcConfig: {
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['203.0.113.0/24'],
      },
    });
    expect(lastAlert().subject).toBe(
      '[eks-endpoint-guard] analytics: public access narrowed to 203.0.113.0/24',
    );
  });

  it('still checks the real endpoint state after a logging-only update', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', publicAccess: false, privateAccess: true });

    // Act
    const { results } = await run(loadEvent('update-config-logging.json'));

    // Assess
    expect(mocks.eks).toHaveReceivedCommandWith(DescribeClusterCommand, { name: 'prod-api' });
    expect(results[0]?.outcome).toBe('compliant');
  });

  it('ignores a failed API call without calling EKS', async () => {
    // Act
    const { results } = await run(loadEvent('update-config-failed.json'));

    // Assess
    expect(results[0]?.outcome).toBe('ignored');
    expect(results[0]?.reason).toMatch(/AccessDeniedException/);
    expect(mocks.eks).not.toHaveReceivedAnyCommand();
  });

  it('reads the 2018 record shape with clusterName', async () => {
    // Prepare
    givenCluster({ name: 'legacy-batch', publicAccess: false, privateAccess: true });

    // Act
    const { results } = await run(loadEvent('create-cluster-legacy-2018.json'));

    // Assess
    expect(results[0]).toMatchObject({ cluster: 'legacy-batch', outcome: 'compliant' });
  });
});

describe('scheduled sweep', () => {
  it('checks every cluster of the region', async () => {
    // Prepare
    mocks.eks.on(ListClustersCommand).resolves({ clusters: ['prod-api', 'payments'] });
    givenCluster({ name: 'prod-api' });
    givenCluster({ name: 'payments', publicAccess: false, privateAccess: true });

    // Act
    const { results } = await run(loadEvent('scheduled-sweep.json'));

    // Assess
    const outcomes = Object.fromEntries(results.map((r) => [r.cluster, r.outcome]));
    expect(outcomes).toEqual({ 'prod-api': 'remediated', payments: 'compliant' });
    expect(results.every((r) => r.trigger.source === 'sweep')).toBe(true);
  });

  it('reports an invalid policy once for the whole sweep, not once per cluster', async () => {
    // Prepare
    givenPolicy({ version: 1, publicAccess: 'sometimes' });
    mocks.eks.on(ListClustersCommand).resolves({ clusters: ['prod-api', 'payments'] });

    // Act
    const { results } = await run(loadEvent('scheduled-sweep.json'));

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ cluster: '-', outcome: 'failed' });
    expect(results[0]?.reason).toMatch(
      /^policy \/eks-endpoint-guard\/policy: publicAccess: .*; sweep skipped, nothing changed$/,
    );
    // Listing is read-only and runs while the policy is read; no cluster is described.
    expect(mocks.eks).not.toHaveReceivedCommand(DescribeClusterCommand);
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('queues a re-check for a cluster that fails with an AWS error and goes on', async () => {
    // Prepare
    mocks.eks.on(ListClustersCommand).resolves({ clusters: ['prod-api', 'payments'] });
    mocks.eks
      .on(DescribeClusterCommand, { name: 'prod-api' })
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));
    givenCluster({ name: 'payments', publicAccess: false, privateAccess: true });

    // Act
    const { results } = await run(loadEvent('scheduled-sweep.json'));

    // Assess
    const prod = results.find((r) => r.cluster === 'prod-api');
    expect(prod?.outcome).toBe('deferred');
    expect(prod?.reason).toMatch(/ThrottlingException/);
    expect(mocks.sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    expect(results.find((r) => r.cluster === 'payments')?.outcome).toBe('compliant');
  }, 30_000);
});

describe('recheck queue', () => {
  it('takes a queued check request through the guard', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });

    // Act
    const { results, batchItemFailures } = await run(loadEvent('recheck-message.json'));

    // Assess
    expect(batchItemFailures).toEqual([]);
    expect(results[0]).toMatchObject({ cluster: 'prod-api', outcome: 'remediated' });
  });

  it('reports the record as a batch item failure when AWS keeps failing', async () => {
    // Prepare
    mocks.eks
      .on(DescribeClusterCommand)
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));
    const event = loadEvent('recheck-message.json') as { Records: { messageId: string }[] };

    // Act
    const { results, batchItemFailures } = await run(event);

    // Assess
    expect(batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]?.messageId }]);
    expect(results[0]?.outcome).toBe('deferred');
    expect(results[0]?.reason).toMatch(/ThrottlingException: Rate exceeded; the message stays on the queue/);
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
  }, 30_000);

  it('reports a failing queued decision against its cluster, not against "-"', async () => {
    // Prepare
    mocks.dynamodb.on(PutCommand).rejects(new Error('table unavailable'));
    const body = decisionMessage({
      result: {
        cluster: 'prod-api',
        region: 'us-east-1',
        outcome: 'remediated',
        reason: 'public endpoint is enabled; changed public → private',
        time: '2026-06-03T10:20:00.000Z',
        correlationId: 'evt-0042',
        trigger: { source: 'event', eventName: 'UpdateClusterConfig' },
        attempt: 0,
        before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
        after: { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
        updateId: 'upd-0001',
        deliveryQueued: true,
      },
      notify: false,
      record: true,
      followUp: false,
    });
    const event = {
      Records: [
        {
          messageId: 'm-7',
          eventSource: 'aws:sqs',
          body,
          receiptHandle: 'AQEBtest-handle',
          attributes: { SenderId: GUARD_SENDER },
        },
      ],
    };

    // Act
    const { results, batchItemFailures } = await run(event);

    // Assess
    expect(batchItemFailures).toEqual([{ itemIdentifier: 'm-7' }]);
    expect(results).toEqual([
      expect.objectContaining({
        cluster: 'prod-api',
        region: 'us-east-1',
        correlationId: 'evt-0042',
        outcome: 'deferred',
        trigger: { source: 'event', eventName: 'UpdateClusterConfig' },
      }),
    ]);
  });

  it('records and alerts an unreadable message instead of dropping it', async () => {
    // Prepare
    const event = { Records: [{ messageId: 'm-1', eventSource: 'aws:sqs', body: 'not json' }] };

    // Act
    const { results, batchItemFailures } = await run(event);

    // Assess
    expect(batchItemFailures).toEqual([]);
    expect(results[0]?.outcome).toBe('failed');
    expect(results[0]?.cause).toEqual({ kind: 'unreadable', detail: results[0]?.reason });
    expect(auditWrites()[0]).toMatchObject({ outcome: 'failed' });
    expect(lastAlert().attributes.outcome).toBe('failed');
  });
});

describe('input it cannot read', () => {
  it.each([
    ['null', null],
    ['a number', 42],
    ['an empty object', {}],
  ])('records %s as failed with a reason, never throwing', async (_name, event) => {
    // Act
    const { results } = await run(event);

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]?.outcome).toBe('failed');
    expect(results[0]?.reason.length).toBeGreaterThan(0);
    expect(mocks.eks).not.toHaveReceivedAnyCommand();
  });
});

describe('the scheduled sweep seals the records (DIGEST_BUCKET_NAME)', () => {
  const config = testConfig({ DIGEST_BUCKET_NAME: 'guard-digests' });
  const now = new Date('2026-06-03T10:20:00Z');

  it('stores a digest after the sweep, and only then', async () => {
    // Act
    const response = await processEvent(
      loadEvent('scheduled-sweep.json'),
      testPorts(now, config),
      processOptions(config),
    );

    // Assess
    expect(response.sealed?.digests).toEqual([expect.objectContaining({ sequence: 1 })]);
    expect(mocks.s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'guard-digests',
      Key: 'eks-endpoint-guard/digests/us-east-1/0000000001.json',
    });
    expect(JSON.parse(String(mocks.s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Body)).account).toBe(
      ACCOUNT,
    );
  });

  it('does not fail the sweep when sealing fails: it is told, and the next run seals', async () => {
    // Prepare
    mocks.s3.on(PutObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const failures: unknown[] = [];
    const options = {
      ...processOptions(config),
      telemetry: { deliveryFailed: () => undefined, sealFailed: (e: unknown) => failures.push(e) },
    };

    // Act
    const response = await processEvent(loadEvent('scheduled-sweep.json'), testPorts(now, config), options);

    // Assess
    expect(response.sealed).toBeUndefined();
    expect(failures).toEqual([expect.objectContaining({ name: 'AccessDenied' })]);
  });

  it('leaves the records alone in a report-only run and without a bucket', async () => {
    // Act
    await processEvent(
      loadEvent('scheduled-sweep.json'),
      testPorts(now, config),
      processOptions(config, false),
    );
    await processEvent(loadEvent('scheduled-sweep.json'), testPorts(now), processOptions());

    // Assess
    expect(mocks.s3).not.toHaveReceivedCommand(PutObjectCommand);
  });
});
