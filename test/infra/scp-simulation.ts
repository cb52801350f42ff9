import { runSimulation } from '@cloud-copilot/iam-simulate';

/** An identity policy that allows everything: what an administrator of a member account has. */
export const ALLOW_ALL = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

export interface ScpRequest {
  principal: string;
  action: string;
  resource: string;
  account: string;
  /** Context keys beyond what AWS sets on every such request (the caller's ARN, TLS). */
  context?: Record<string, string>;
}

/**
 * The independent IAM policy simulator's answer for a request of an administrator (AllowAll) in an
 * account under FullAWSAccess and the service control policy given: `Allowed`, `ExplicitlyDenied`...
 */
export async function underScp(request: ScpRequest, scp: { name: string; policy: object }): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.account },
        contextVariables: {
          'aws:PrincipalArn': request.principal,
          'aws:SecureTransport': 'true',
          ...request.context,
        },
      },
      identityPolicies: [{ name: 'AllowAll', policy: ALLOW_ALL }],
      serviceControlPolicies: [
        { orgIdentifier: 'r-root', policies: [{ name: 'FullAWSAccess', policy: ALLOW_ALL }, scp] },
      ],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}
