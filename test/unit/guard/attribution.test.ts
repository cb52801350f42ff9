import 'aws-sdk-client-mock-jest';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { ListClustersCommand } from '@aws-sdk/client-eks';
import { GUARD_TOKEN_PREFIX } from '../../../functions/core/triggers/normalise';
import { processEvent } from '../../../functions/guard/process-event';
import {
  auditWrites,
  GUARD_ROLE_ARN,
  givenCluster,
  lastAlert,
  loadEvent,
  mocks,
  processOptions,
  resetAws,
  testPorts,
} from '../support/aws';

/** Drift found by the sweep is attributed through CloudTrail, at the SDK boundary. */
const CI = 'arn:aws:iam::123456789012:user/platform-ci';
const GUARD_SESSION = 'arn:aws:sts::123456789012:assumed-role/eks-endpoint-guard-remediator/s';

function lookupAnswer(actor = CI, identity: Record<string, unknown> = { arn: actor }, token?: string) {
  return {
    Events: [
      {
        EventId: 'evt-9',
        CloudTrailEvent: JSON.stringify({
          eventSource: 'eks.amazonaws.com',
          eventName: 'UpdateClusterConfig',
          eventTime: '2026-06-03T08:00:00Z',
          eventID: 'evt-9',
          userIdentity: identity,
          sourceIPAddress: '203.0.113.50',
          userAgent: 'terraform/1.9',
          requestParameters: {
            name: 'prod-api',
            resourcesVpcConfig: { endpointPublicAccess: true },
            ...(token ? { clientRequestToken: token } : {}),
          },
        }),
      },
    ],
  };
}

beforeEach(() => {
  resetAws();
  mocks.eks.on(ListClustersCommand).resolves({ clusters: ['prod-api'] });
  givenCluster({ name: 'prod-api' });
});

describe('who caused drift the sweep found', () => {
  it('names the actor of the latest endpoint change in the record and the alert, marked as found by lookup', async () => {
    // Prepare
    mocks.cloudtrail.on(LookupEventsCommand).resolves(lookupAnswer());

    // Act
    const { results } = await processEvent(loadEvent('scheduled-sweep.json'), testPorts(), processOptions());

    // Assess
    const expected = {
      source: 'sweep',
      actorSource: 'lookup',
      actorArn: CI,
      eventId: 'evt-9',
      eventName: 'UpdateClusterConfig',
      eventTime: '2026-06-03T08:00:00.000Z',
      sourceIp: '203.0.113.50',
      userAgent: 'terraform/1.9',
    };
    expect(results[0]).toMatchObject({ outcome: 'remediated', trigger: expected });
    expect(auditWrites().find((item) => item.outcome === 'remediated')).toMatchObject({ trigger: expected });
    expect(lastAlert().text).toContain(`${CI} (found by CloudTrail lookup: the latest endpoint change)`);
  });

  it('names no one when the latest change was the guard’s own, and never fails the decision', async () => {
    // Prepare
    mocks.cloudtrail
      .on(LookupEventsCommand)
      .resolvesOnce(
        lookupAnswer(
          GUARD_SESSION,
          {
            type: 'AssumedRole',
            arn: GUARD_SESSION,
            sessionContext: { sessionIssuer: { arn: GUARD_ROLE_ARN } },
          },
          `${GUARD_TOKEN_PREFIX}abc`,
        ),
      )
      .rejects(Object.assign(new Error('not authorised'), { name: 'AccessDeniedException' }));

    // Act
    const first = await processEvent(loadEvent('scheduled-sweep.json'), testPorts(), processOptions());
    const second = await processEvent(loadEvent('scheduled-sweep.json'), testPorts(), processOptions());

    // Assess
    for (const { results } of [first, second]) {
      expect(results[0]?.outcome).toBe('remediated');
      expect(results[0]?.trigger.actorArn).toBeUndefined();
    }
  });

  it('does not look up events for a CloudTrail event or a report-only sweep', async () => {
    // Act
    await processEvent(loadEvent('update-config-open-world.json'), testPorts(), processOptions());
    await processEvent(loadEvent('scheduled-sweep.json'), testPorts(), processOptions(undefined, false));

    // Assess
    expect(mocks.cloudtrail).not.toHaveReceivedCommand(LookupEventsCommand);
  });
});
