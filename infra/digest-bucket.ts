import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/** How long each digest is locked, by default: a year of evidence nobody can change or delete. */
export const DEFAULT_DIGEST_RETENTION_DAYS = 365;

/**
 * The digest bucket (id `DigestBucket`), created in `scope` (DESIGN §16): versioned, Object Lock in
 * compliance mode with a default retention, so that no version of a digest can be overwritten or
 * deleted before its retention ends, by anyone, the account's root user included. It is retained
 * when the stack is deleted: CloudFormation could not delete it while versions are locked, and the
 * evidence must outlive the guard that wrote it. Encrypted (S3 managed keys), TLS only, never public.
 */
export function guardDigestBucket(scope: Construct, retentionDays: number): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'DigestBucket', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    objectLockEnabled: true,
    objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(retentionDays)),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      'The digests are the tamper evidence themselves, locked in compliance mode; an access-log bucket would be a second bucket whose objects are not locked. Writes to the bucket are recorded by CloudTrail.',
  });
  return bucket;
}

/** The function may only put digests: no read, no list, no delete, no retention change. */
export function digestWriteStatement(bucket: s3.IBucket): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'PutDigests',
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects('eks-endpoint-guard/digests/*')],
  });
}

/** A digest's key is new every run: the grant names the digests' prefix, not one object. */
export function acknowledgeDigestKeys(role: iam.Role, bucket: s3.Bucket): void {
  const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
  Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/eks-endpoint-guard/digests/*]`,
    reason:
      "Each sealing run writes a digest under a new key (its sequence number): s3:PutObject only, on the digest prefix of the guard's own bucket.",
  });
}
