import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { EndpointGuardStack } from '../../infra/stack';
import { logicalId, newApp } from './helpers';
import { underScp } from './scp-simulation';

/**
 * The SCP that protects the digests still to come (docs/digest-protection-scp.json, shown in
 * docs/evidence.md), evaluated by an independent IAM policy simulator: the guard's own puts pass,
 * a weaker or shorter lock and any change to the bucket's lock are refused, the break-glass role
 * is not.
 */
const ACCOUNT = '111122223333';
const SCP = JSON.parse(
  readFileSync(path.join(__dirname, '..', '..', 'docs', 'digest-protection-scp.json'), 'utf8'),
);
const GUARD = `arn:aws:iam::${ACCOUNT}:role/EksEndpointGuard-RemediatorRoleA36235BE-AbC123dEf456`;
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Administrator`;
const BREAK_GLASS = `arn:aws:iam::${ACCOUNT}:role/REPLACE-WITH-BREAK-GLASS-ROLE`;

let bucket: string;

beforeAll(() => {
  // Prepare: the bucket name CloudFormation gives the stack's digest bucket (stack-logicalid-suffix, lower case)
  const template = Template.fromStack(new EndpointGuardStack(newApp(), 'EksEndpointGuard'));
  const id = logicalId(template, 'AWS::S3::Bucket', 'DigestBucket');
  bucket = `arn:aws:s3:::eksendpointguard-${id.toLowerCase()}-1a2b3c4d5e6f`;
});

function decide(principal: string, action: string, resource: string, context: Record<string, string> = {}) {
  return underScp(
    { principal, action, resource, account: ACCOUNT, context },
    { name: 'DigestProtection', policy: SCP },
  );
}

describe('the SCP protecting the digests, simulated', () => {
  test("lets the guard put a digest under the bucket's default compliance lock", async () => {
    // Act / Assess
    expect(
      await decide(GUARD, 's3:PutObject', `${bucket}/eks-endpoint-guard/digests/us-east-1/0000000001.json`),
    ).toBe('Allowed');
  });

  test('refuses a put with a weaker or shorter lock, and a retention made weaker or shorter', async () => {
    // Prepare
    const key = `${bucket}/eks-endpoint-guard/digests/us-east-1/0000000002.json`;
    const lock = (mode: string, days: string) => ({
      's3:object-lock-mode': mode,
      's3:object-lock-remaining-retention-days': days,
    });
    // Act
    const decisions = {
      putGovernance: await decide(ADMIN, 's3:PutObject', key, lock('GOVERNANCE', '400')),
      putShort: await decide(ADMIN, 's3:PutObject', key, lock('COMPLIANCE', '30')),
      putFull: await decide(ADMIN, 's3:PutObject', key, lock('COMPLIANCE', '365')),
      retainGovernance: await decide(ADMIN, 's3:PutObjectRetention', key, lock('GOVERNANCE', '400')),
      retainShort: await decide(ADMIN, 's3:PutObjectRetention', key, lock('COMPLIANCE', '10')),
      retainLonger: await decide(ADMIN, 's3:PutObjectRetention', key, lock('COMPLIANCE', '730')),
    };
    // Assess
    expect(decisions).toEqual({
      putGovernance: 'ExplicitlyDenied',
      putShort: 'ExplicitlyDenied',
      putFull: 'Allowed',
      retainGovernance: 'ExplicitlyDenied',
      retainShort: 'ExplicitlyDenied',
      retainLonger: 'Allowed',
    });
  });

  test("refuses any change to the bucket's lock and any bypass, except for the break-glass role", async () => {
    // Act
    const decisions = {
      lockConfiguration: await decide(ADMIN, 's3:PutBucketObjectLockConfiguration', bucket),
      bypass: await decide(
        ADMIN,
        's3:BypassGovernanceRetention',
        `${bucket}/eks-endpoint-guard/digests/x.json`,
      ),
      breakGlass: await decide(BREAK_GLASS, 's3:PutBucketObjectLockConfiguration', bucket),
      otherBucket: await decide(ADMIN, 's3:PutBucketObjectLockConfiguration', 'arn:aws:s3:::team-data'),
    };
    // Assess
    expect(decisions).toEqual({
      lockConfiguration: 'ExplicitlyDenied',
      bypass: 'ExplicitlyDenied',
      breakGlass: 'Allowed',
      otherBucket: 'Allowed',
    });
  });
});
