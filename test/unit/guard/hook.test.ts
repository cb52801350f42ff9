import 'aws-sdk-client-mock-jest';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, ParameterNotFound, SSMClient, ThrottlingException } from '@aws-sdk/client-ssm';
import fc from 'fast-check';
import { notifier } from '../../../functions/aws/notifier';
import { policyStore } from '../../../functions/aws/policy-store';
import { answerHook, type HookOptions, type HookTelemetry } from '../../../functions/guard/hook';
import { cloudControlCreate, otherResource, stackCreate } from '../core/iac/fixtures/hook-requests';
import { lastAlert, mocks, REGION, resetAws, TEST_ENV, TOPIC_ARN } from '../support/aws';

const NOW = new Date('2026-12-01T10:00:00Z');
const OPTIONS: HookOptions = {
  onHookError: 'allow',
  region: REGION,
  policyTimeoutMs: 2_000,
  alertTimeoutMs: 2_000,
};

function ports() {
  return {
    // Cache 0: every test reads the parameter as it is set up.
    policy: policyStore(new SSMClient({ region: REGION }), TEST_ENV.POLICY_PARAMETER_NAME, 0),
    notifier: notifier(new SNSClient({ region: REGION }), TOPIC_ARN),
    clock: () => NOW,
  };
}

/** A telemetry sink that remembers the faults and the alerts it could not publish. */
function telemetry() {
  const faults: string[] = [];
  let alertFailures = 0;
  const sink: HookTelemetry = {
    answered: () => undefined,
    fault: (fault) => {
      faults.push(fault);
    },
    alertFailed: () => {
      alertFailures++;
    },
  };
  return { sink, faults, alertFailures: () => alertFailures };
}

beforeEach(() => resetAws({ version: 1, publicAccess: 'disabled', privateAccess: 'required' }));

describe('answerHook', () => {
  it('fails a non-compliant cluster under the live policy, and alerts nobody', async () => {
    // Act
    const response = await answerHook(stackCreate(), ports(), OPTIONS);

    // Assess
    expect(response).toMatchObject({
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
      clientRequestToken: '3c6e0b8a-9b2f-4d1e-a7f3-5e9d2c4b1a08',
    });
    expect(mocks.ssm).toHaveReceivedCommandWith(GetParameterCommand, {
      Name: TEST_ENV.POLICY_PARAMETER_NAME,
    });
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('lets other resources through without reading the policy', async () => {
    // Act
    const response = await answerHook(otherResource(), ports(), OPTIONS);

    // Assess
    expect(response.hookStatus).toBe('SUCCESS');
    expect(mocks.ssm).not.toHaveReceivedCommand(GetParameterCommand);
  });

  it.each([
    [
      'a missing policy parameter',
      new ParameterNotFound({ message: 'not found', $metadata: {} }),
      'the parameter does not exist',
    ],
    [
      'SSM throttling',
      new ThrottlingException({ message: 'Rate exceeded', Message: 'Rate exceeded', $metadata: {} }),
      'Rate exceeded',
    ],
  ])('allows the operation on %s by default, and alerts', async (_name, error, said) => {
    // Prepare
    mocks.ssm.on(GetParameterCommand).rejects(error);
    const seen = telemetry();

    // Act
    const response = await answerHook(stackCreate(), ports(), OPTIONS, seen.sink);

    // Assess
    expect(response.hookStatus).toBe('SUCCESS');
    expect(response.errorCode).toBeUndefined();
    expect(response.message).toContain('could not check this operation');
    expect(response.message).toContain('onHookError allow');
    expect(seen.faults[0]).toContain(said);
    const alert = lastAlert();
    expect(alert.attributes).toMatchObject({ outcome: 'failed', cluster: 'prod-api', severity: 'critical' });
    expect(alert.text).toContain('the CloudFormation hook could not check ProdCluster');
    expect(alert.json.trigger).toMatchObject({
      eventName: 'CloudFormation hook CREATE_PRE_PROVISION',
      eventId: '3c6e0b8a-9b2f-4d1e-a7f3-5e9d2c4b1a08',
    });
  });

  it('refuses the operation on a fault with onHookError deny, and alerts', async () => {
    // Prepare
    mocks.ssm
      .on(GetParameterCommand)
      .rejects(
        new ThrottlingException({ message: 'Rate exceeded', Message: 'Rate exceeded', $metadata: {} }),
      );

    // Act
    const response = await answerHook(stackCreate(), ports(), { ...OPTIONS, onHookError: 'deny' });

    // Assess
    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(response.message).toContain('onHookError deny');
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('answers in time when SSM does not, as a fault', async () => {
    // Prepare: a read that never completes; the deadline is short for the test, not measured.
    mocks.ssm.on(GetParameterCommand).callsFake(() => new Promise(() => undefined));

    // Act
    const response = await answerHook(stackCreate(), ports(), { ...OPTIONS, policyTimeoutMs: 20 });

    // Assess
    expect(response.hookStatus).toBe('SUCCESS');
    expect(response.message).toContain('reading the policy took longer than 0.02 s');
  });

  it('still answers when the alert cannot be published, and says so to its telemetry', async () => {
    // Prepare
    mocks.ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'gone', $metadata: {} }));
    mocks.sns.on(PublishCommand).rejects(new Error('AuthorizationError'));
    const seen = telemetry();

    // Act
    const response = await answerHook(cloudControlCreate(), ports(), OPTIONS, seen.sink);

    // Assess
    expect(response.hookStatus).toBe('SUCCESS');
    expect(response.message.length).toBeLessThanOrEqual(1024);
    expect(seen.alertFailures()).toBe(1);
  });

  it.each([
    ['null', null],
    ['a string', 'CREATE'],
    ['no requestData', { clientRequestToken: 'tok-9' }],
  ])('answers a malformed request (%s) per onHookError, echoing any token', async (_name, event) => {
    // Act
    const allowed = await answerHook(event, ports(), OPTIONS);
    const denied = await answerHook(event, ports(), { ...OPTIONS, onHookError: 'deny' });

    // Assess
    const token = event && typeof event === 'object' ? 'tok-9' : '';
    expect(allowed).toMatchObject({ hookStatus: 'SUCCESS', clientRequestToken: token });
    expect(denied).toMatchObject({
      hookStatus: 'FAILED',
      errorCode: 'InternalFailure',
      clientRequestToken: token,
    });
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('always answers, whatever arrives: never throws, always a status and a token', async () => {
    // Prepare: anything at all, and requests with any field missing or of another type.
    const request = stackCreate();
    const partial = fc
      .record(
        {
          clientRequestToken: fc.oneof(fc.string(), fc.anything()),
          stackId: fc.oneof(fc.constant(''), fc.string(), fc.anything()),
          actionInvocationPoint: fc.oneof(
            fc.constantFrom('CREATE_PRE_PROVISION', 'UPDATE_PRE_PROVISION', 'DELETE_PRE_PROVISION'),
            fc.anything(),
          ),
          requestData: fc.oneof(
            fc.record(
              {
                targetName: fc.oneof(fc.constant('AWS::EKS::Cluster'), fc.anything()),
                targetType: fc.oneof(fc.constantFrom('AWS::EKS::Cluster', 'RESOURCE'), fc.anything()),
                targetLogicalId: fc.oneof(fc.string(), fc.anything()),
                targetModel: fc.oneof(
                  fc.record(
                    {
                      resourceProperties: fc.oneof(
                        fc.constant(request.requestData.targetModel.resourceProperties),
                        fc.anything(),
                      ),
                      previousResourceProperties: fc.anything(),
                    },
                    { requiredKeys: [] },
                  ),
                  fc.anything(),
                ),
              },
              { requiredKeys: [] },
            ),
            fc.anything(),
          ),
        },
        { requiredKeys: [] },
      )
      .map((fields) => ({ ...request, ...fields }));

    // Act / Assess
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything(), partial), async (event) => {
        const response = await answerHook(event, ports(), OPTIONS);
        expect(['SUCCESS', 'FAILED']).toContain(response.hookStatus);
        expect(typeof response.clientRequestToken).toBe('string');
        expect(response.message.length).toBeGreaterThan(0);
        expect(response.message.length).toBeLessThanOrEqual(4096);
        if (response.hookStatus === 'FAILED') {
          expect(['NonCompliant', 'InternalFailure']).toContain(response.errorCode);
        }
      }),
      { numRuns: 200 },
    );
  });
});
