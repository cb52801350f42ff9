import { decideHook } from '../../../../functions/core/iac/hook-decision';
import { readHookRequest } from '../../../../functions/core/iac/hook-request';
import { type PolicyInput, validatePolicy } from '../../../../functions/core/policy/policy';
import {
  CLUSTER_PROPERTIES,
  cloudControlCreate,
  otherResource,
  stackCreate,
  stackUpdate,
} from './fixtures/hook-requests';
import { NOW } from './support';

const STRICT: PolicyInput = { version: 1, publicAccess: 'disabled', privateAccess: 'required' };

function decide(event: unknown, policy: PolicyInput = STRICT) {
  const read = readHookRequest(event);
  if (!read.ok) throw new Error(read.fault);
  return decideHook(read.request, validatePolicy(policy, 'test'), NOW);
}

function responseOf(event: unknown, policy?: PolicyInput) {
  const decision = decide(event, policy);
  if (decision.kind !== 'answer') throw new Error(`expected an answer, got ${decision.fault}`);
  return decision.response;
}

describe('decideHook', () => {
  it('fails a non-compliant cluster as NonCompliant, naming the rules and the values to write', () => {
    // Act
    const response = responseOf(stackCreate());

    // Assess
    expect(response).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
      clientRequestToken: '3c6e0b8a-9b2f-4d1e-a7f3-5e9d2c4b1a08',
      message:
        'EKS cluster "prod-api" (ProdCluster) breaks the organisation policy (public-disabled, private-required). Write ResourcesVpcConfig: { EndpointPublicAccess: false, EndpointPrivateAccess: true }. Why: public endpoint is enabled, but the policy requires it disabled [public-disabled]; private endpoint is disabled, but the policy requires it enabled [private-required] (rules: publicAccess "disabled", privateAccess "required" (policy))',
    });
  });

  it('lets a compliant cluster through, reading booleans written as strings', () => {
    // Prepare
    const properties = {
      ...CLUSTER_PROPERTIES,
      ResourcesVpcConfig: { SubnetIds: ['s'], EndpointPublicAccess: 'false', EndpointPrivateAccess: 'true' },
    };

    // Act
    const response = responseOf(stackCreate(properties));

    // Assess
    expect(response.hookStatus).toBe('SUCCESS');
    expect(response.errorCode).toBeUndefined();
    expect(response.message).toMatch(
      /^EKS cluster "prod-api" \(ProdCluster\) complies with the organisation policy/,
    );
  });

  it('takes an endpoint setting an update leaves out from the previous properties', () => {
    // Prepare: the update changes the version only; the cluster keeps its private-only endpoint.
    const previous = {
      ...CLUSTER_PROPERTIES,
      ResourcesVpcConfig: { SubnetIds: ['s'], EndpointPublicAccess: 'false', EndpointPrivateAccess: 'true' },
    };
    const proposed = { ...CLUSTER_PROPERTIES, Version: '1.32', ResourcesVpcConfig: { SubnetIds: ['s'] } };

    // Act
    const kept = responseOf(stackUpdate(proposed, previous));
    const changed = responseOf(
      stackUpdate(
        { ...proposed, ResourcesVpcConfig: { SubnetIds: ['s'], EndpointPublicAccess: true } },
        previous,
      ),
    );

    // Assess
    expect(kept.hookStatus).toBe('SUCCESS');
    expect(changed).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(changed.message).toContain('[public-disabled]');
    expect(changed.message).not.toContain('[private-required]');
  });

  it('answers a Cloud Control call within 1,024 characters, applying the policy to the made-up logical id', () => {
    // Prepare: an override for the logical id Cloud Control makes up, and a long list of CIDRs.
    const cidrs = Array.from({ length: 40 }, (_, i) => `198.51.${i}.0/24`);
    const properties = { ResourcesVpcConfig: { SubnetIds: ['s'], PublicAccessCidrs: cidrs } };
    const policy: PolicyInput = {
      version: 1,
      publicAccess: 'restricted',
      allowedPublicCidrs: ['203.0.113.0/24'],
      overrides: [{ clusters: ['AWSEKSCluster-*'], privateAccess: 'optional' }],
    };

    // Act
    const decision = decide(cloudControlCreate(properties), policy);

    // Assess
    if (decision.kind !== 'answer') throw new Error('expected an answer');
    expect(decision.response.hookStatus).toBe('FAILED');
    expect(decision.response.message.length).toBeLessThanOrEqual(1024);
    // None of the blocks lies inside the allowed networks: the guard's own target turns public off.
    expect(decision.response.message).toContain(
      'Write ResourcesVpcConfig: { EndpointPublicAccess: false, EndpointPrivateAccess: true }.',
    );
    expect(decision.cluster?.name).toMatchObject({ value: 'AWSEKSCluster-cc-4b1a08', from: 'logical-id' });
    expect(decision.verdict?.effective.ruleSource).toBe('overrides[0] ("AWSEKSCluster-*")');
  });

  it('warns without blocking under the policy mode notify', () => {
    // Act
    const response = responseOf(stackCreate(), { ...STRICT, mode: 'notify' });

    // Assess
    expect(response.hookStatus).toBe('SUCCESS');
    expect(response.message).toMatch(/^policy mode notify, not blocked: EKS cluster "prod-api"/);
  });

  it('lets an exempt cluster through, saying why', () => {
    // Act
    const response = responseOf(stackCreate(), {
      ...STRICT,
      exemptions: [{ cluster: 'prod-*', reason: 'OPS-9 migration', expires: '2027-03-31' }],
    });

    // Assess
    expect(response.hookStatus).toBe('SUCCESS');
    expect(response.message).toMatch(
      /is exempt from the organisation policy \(OPS-9 migration until 2027-03-31\)/,
    );
  });

  it('fails a value it cannot read as NonCompliant: compliance cannot be proven', () => {
    // Act
    const response = responseOf(
      stackCreate({ ResourcesVpcConfig: { EndpointPublicAccess: 'maybe', EndpointPrivateAccess: true } }),
    );

    // Assess
    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(response.message).toContain('[invalid-value]');
  });

  it('lets other resources and deletions through without a policy question', () => {
    // Act
    const other = responseOf(otherResource());
    const deletion = responseOf({ ...stackCreate(), actionInvocationPoint: 'DELETE_PRE_PROVISION' });

    // Assess
    expect(other).toMatchObject({
      hookStatus: 'SUCCESS',
      message: 'AWS::S3::Bucket is not an EKS cluster: nothing to check',
    });
    expect(deletion).toMatchObject({
      hookStatus: 'SUCCESS',
      message: 'deleting a cluster: nothing to check',
    });
  });

  it('calls a cluster request without properties a fault, for onHookError to answer', () => {
    // Prepare
    const request = stackCreate();
    const partial = { ...request, requestData: { ...request.requestData, targetModel: {} } };

    // Act
    const decision = decide(partial);

    // Assess
    expect(decision).toEqual({
      kind: 'fault',
      fault: 'the request carries no resourceProperties for the cluster',
    });
  });
});
