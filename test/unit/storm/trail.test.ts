import { normaliseEvent } from '../../../functions/core/triggers/normalise';
import { scheduleEvent, type TrailContext, trailEvent } from '../../../storm/trail';

const CONTEXT: TrailContext = {
  account: '123456789012',
  region: 'us-east-1',
  guardRoleArn: 'arn:aws:iam::123456789012:role/eks-endpoint-guard-remediator',
  guardRoleId: 'AROASTORMGUARDROLE0001',
};
const TRIGGERS = {
  region: 'us-east-1',
  account: '123456789012',
  guardRoleArn: CONTEXT.guardRoleArn,
  now: new Date(),
};

/** The storm's CloudTrail records are read by the guard's own normaliser, as the real ones are. */
describe('CloudTrail records of the storm', () => {
  it("make a person's UpdateClusterConfig a check of the cluster, naming the person", () => {
    // Prepare
    const event = trailEvent(
      {
        eventId: 'evt-1',
        time: new Date('2026-06-03T10:20:00Z'),
        eventSource: 'eks.amazonaws.com',
        eventName: 'UpdateClusterConfig',
        by: { kind: 'person', id: 2 },
        requestParameters: { name: 'prod-000', resourcesVpcConfig: { endpointPublicAccess: true } },
      },
      CONTEXT,
    );

    // Act
    const [item] = normaliseEvent(event, TRIGGERS).items;

    // Assess
    expect(item).toMatchObject({
      kind: 'check',
      request: {
        cluster: 'prod-000',
        correlationId: 'evt-1',
        trigger: { actorArn: 'arn:aws:sts::123456789012:assumed-role/PlatformEngineer/person-2' },
      },
    });
    expect((item as { request: { trigger: { byGuard?: boolean } } }).request.trigger.byGuard).toBeUndefined();
  });

  it("make a worker's UpdateClusterConfig with the guard's token the guard's own change", () => {
    // Prepare
    const event = trailEvent(
      {
        eventId: 'evt-2',
        time: new Date(),
        eventSource: 'eks.amazonaws.com',
        eventName: 'UpdateClusterConfig',
        by: { kind: 'guard', worker: 1 },
        requestParameters: {
          name: 'prod-000',
          clientRequestToken: 'eks-endpoint-guard-0123456789abcdef0123456789abcdef01234567',
        },
      },
      CONTEXT,
    );

    // Act
    const [item] = normaliseEvent(event, TRIGGERS).items;

    // Assess
    expect(item).toMatchObject({ kind: 'check', request: { trigger: { byGuard: true } } });
  });

  it('make a PutParameter of the policy a policy change', () => {
    // Prepare
    const event = trailEvent(
      {
        eventId: 'evt-3',
        time: new Date(),
        eventSource: 'ssm.amazonaws.com',
        eventName: 'PutParameter',
        by: { kind: 'person', id: 1 },
        requestParameters: { name: '/eks-endpoint-guard/policy', type: 'String', overwrite: true },
      },
      CONTEXT,
    );

    // Act
    const [item] = normaliseEvent(event, {
      ...TRIGGERS,
      policyParameterName: '/eks-endpoint-guard/policy',
    }).items;

    // Assess
    expect(item).toMatchObject({ kind: 'policy-change', correlationId: 'evt-3' });
  });

  it("make the schedule's event a sweep", () => {
    // Act
    const normalised = normaliseEvent(scheduleEvent('sw-1', new Date(), CONTEXT), TRIGGERS);

    // Assess
    expect(normalised.sweep).toMatchObject({ correlationId: 'sweep-sw-1' });
  });
});
