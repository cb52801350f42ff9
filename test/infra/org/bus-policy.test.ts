import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import {
  BUS_POLICY_MAX_BYTES,
  busPolicyBytes,
  busPolicyStatements,
  maxBusPolicyRegions,
  sizingBusArn,
} from '../../../infra/org/bus-policy';
import { CENTRAL_BUS_NAME } from '../../../infra/org/central-stack';

/**
 * Issue 19, findings 1 and 2: the central bus took events from any principal of the organisation,
 * and a member's region was not bound to anything. The bus policy, evaluated by an independent IAM
 * policy simulator: only each region's guard role, sending as that region's source, gets in.
 */
const ORG = 'o-a1b2c3d4e5';
const CENTRAL = '222233334444';
const MEMBER = '444455556666';
const MANAGEMENT = '111111111111';
const BUS = `arn:aws:events:eu-west-1:${CENTRAL}:event-bus/${CENTRAL_BUS_NAME}`;
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const policy = {
  Version: '2012-10-17',
  Statement: busPolicyStatements({
    organizationId: ORG,
    regions: ['us-east-1', 'eu-west-1'],
    busArn: BUS,
    managementAccountId: MANAGEMENT,
  }).map((s) => ({ ...s, Sid: `cdk-${s.Sid}` })),
};

async function putEvents(principal: string, source: string, org = ORG): Promise<string> {
  // One entry per call here; a call with several entries has each entry's source in the set.
  const account = principal.split(':')[4] as string;
  const result = await runSimulation(
    {
      request: {
        principal,
        action: 'events:PutEvents',
        resource: { resource: BUS, accountId: CENTRAL },
        contextVariables: {
          'aws:PrincipalArn': principal,
          'aws:PrincipalAccount': account,
          'aws:PrincipalOrgID': org,
          'events:source': [source],
          'aws:SecureTransport': 'true',
        },
      },
      identityPolicies: [{ name: 'AllowAll', policy: ALLOW_ALL }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policy,
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

const guardRole = (account: string, region: string) =>
  `arn:aws:iam::${account}:role/eks-endpoint-guard-member-${region}`;

describe('the central bus policy, simulated', () => {
  test("admits a member's guard role only as its own region's source", async () => {
    // Act
    const decisions = {
      ownRegion: await putEvents(guardRole(MEMBER, 'us-east-1'), 'eks-endpoint-guard.us-east-1'),
      otherRegionsSource: await putEvents(guardRole(MEMBER, 'us-east-1'), 'eks-endpoint-guard.eu-west-1'),
      oldSource: await putEvents(guardRole(MEMBER, 'us-east-1'), 'eks-endpoint-guard'),
      regionNotDeployed: await putEvents(guardRole(MEMBER, 'ap-south-1'), 'eks-endpoint-guard.ap-south-1'),
    };
    // Assess
    expect(decisions).toEqual({
      ownRegion: 'Allowed',
      otherRegionsSource: 'ImplicitlyDenied',
      oldSource: 'ImplicitlyDenied',
      regionNotDeployed: 'ImplicitlyDenied',
    });
  });

  test('refuses any other principal of the organisation, PowerUserAccess and all, and anyone outside it', async () => {
    // Act
    const decisions = {
      powerUser: await putEvents(
        `arn:aws:iam::${MEMBER}:role/AWSReservedSSO_PowerUserAccess_0123456789abcdef`,
        'eks-endpoint-guard.us-east-1',
      ),
      singleAccountGuard: await putEvents(
        `arn:aws:iam::${MEMBER}:role/eks-endpoint-guard-us-east-1`,
        'eks-endpoint-guard.us-east-1',
      ),
      outsider: await putEvents(
        guardRole('999999999999', 'us-east-1'),
        'eks-endpoint-guard.us-east-1',
        'o-zzzzzzzzzz',
      ),
      managementAccount: await putEvents(guardRole(MANAGEMENT, 'us-east-1'), 'eks-endpoint-guard.us-east-1'),
    };
    // Assess: SCPs never bind the management account, so the bus denies it outright
    expect(decisions).toEqual({
      powerUser: 'ImplicitlyDenied',
      singleAccountGuard: 'ImplicitlyDenied',
      outsider: 'ImplicitlyDenied',
      managementAccount: 'ExplicitlyDenied',
    });
  });
});

describe('the bus policy limit', () => {
  test('the statement of one more region is what pushes a policy past 10,240 bytes', () => {
    // Prepare
    const max = maxBusPolicyRegions(CENTRAL_BUS_NAME, ORG);
    const regions = (n: number) => Array.from({ length: n }, (_, i) => `ap-southeast-${i % 10}`);
    const bytes = (n: number) =>
      busPolicyBytes({
        organizationId: ORG,
        regions: regions(n),
        busArn: sizingBusArn(CENTRAL_BUS_NAME),
        managementAccountId: MANAGEMENT,
      });
    // Act / Assess
    expect(bytes(max)).toBeLessThanOrEqual(BUS_POLICY_MAX_BYTES);
    expect(bytes(max + 1)).toBeGreaterThan(BUS_POLICY_MAX_BYTES);
  });

  test('docs/security-central.md names the limits the code computes', () => {
    // Prepare
    const page = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'security-central.md'), 'utf8');
    // Act
    const worst = maxBusPolicyRegions(CENTRAL_BUS_NAME);
    const typical = maxBusPolicyRegions(CENTRAL_BUS_NAME, ORG);
    // Assess
    expect(page).toContain(`at most ${worst} regions`);
    expect(page).toContain(`${typical} with an organisation id of 12 characters`);
    expect(page).toContain('10,240 bytes');
  });
});
