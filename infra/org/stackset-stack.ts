import {
  CfnOutput,
  CfnWaitConditionHandle,
  CliCredentialsStackSynthesizer,
  Duration,
  FileAssetPackaging,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as cfn from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { OrgConfigError, validOrganizationId } from './config';
import type { MemberTemplate } from './member-template';

/** Regions deployed at the same time, and how many account failures per region stop the operation. */
export const DEFAULT_OPERATION_PREFERENCES = {
  regionConcurrencyType: 'PARALLEL',
  maxConcurrentPercentage: 25,
  failureTolerancePercentage: 10,
} as const;

export const DEFAULT_STACKSET_NAME = 'eks-endpoint-guard';

/** `<prefix>-<region>` must stay a valid bucket name for the longest region names. */
const LONGEST_REGION = 'ap-southeast-5'.length + 6;

export function assetBucketName(prefix: string, region: string): string {
  return `${prefix}-${region}`;
}

export function checkBucketPrefix(prefix: string): string {
  if (!/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(prefix) || prefix.length + 1 + LONGEST_REGION > 63) {
    throw new OrgConfigError(
      `assetBucketPrefix ${prefix}: lowercase letters, digits and hyphens, at most ${62 - LONGEST_REGION} characters`,
    );
  }
  return prefix;
}

export interface AssetBucketStackProps extends StackProps {
  readonly organizationId: string;
  readonly bucketPrefix: string;
}

/**
 * The organisation-readable bucket of one target region: Lambda reads a function's code only from
 * a bucket in the function's own region, and the members' StackSet execution roles read it here.
 */
export class AssetBucketStack extends Stack {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AssetBucketStackProps) {
    super(scope, id, props);
    const region = props.env?.region;
    if (!region) throw new OrgConfigError(`${id}: an asset bucket stack needs its region`);
    this.bucket = new s3.Bucket(this, 'Assets', {
      bucketName: assetBucketName(props.bucketPrefix, region),
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      // Old code versions are kept long enough for a StackSet rollback, then removed.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OrganisationMayReadGuardCode',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
      }),
    );
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the guard code the org app publishes; reads are by the organisation StackSet roles and are in CloudTrail.',
    });
  }
}

export interface MemberCodeStackProps extends StackProps {
  readonly bucketPrefix: string;
  readonly template: MemberTemplate;
}

/**
 * Publishes the member's code to one region's asset bucket. The CDK CLI uploads a stack's file
 * assets before deploying it, after the stacks it depends on (the bucket's): this stack exists
 * only for that upload, with the deployer's own credentials, under the keys the template names.
 */
export class MemberCodeStack extends Stack {
  constructor(scope: Construct, id: string, props: MemberCodeStackProps) {
    const region = props.env?.region;
    if (!region) throw new OrgConfigError(`${id}: a member code stack needs its region`);
    super(scope, id, {
      ...props,
      synthesizer: new CliCredentialsStackSynthesizer({
        fileAssetsBucketName: assetBucketName(props.bucketPrefix, region),
        bucketPrefix: '',
      }),
    });
    for (const asset of props.template.assets) {
      const location = this.synthesizer.addFileAsset({
        sourceHash: asset.sourceHash,
        fileName: asset.fileName,
        packaging: asset.packaging,
      });
      if (!location.objectKey.endsWith(asset.objectKey)) {
        throw new OrgConfigError(`asset ${asset.objectKey} would be published as ${location.objectKey}`);
      }
    }
    // A stack needs one resource; this one costs nothing and names the code version it carries.
    const marker = new CfnWaitConditionHandle(this, 'CodeVersion');
    marker.addMetadata('templateHash', props.template.templateHash);
  }
}

export interface StackSetStackProps extends StackProps {
  readonly organizationId: string;
  /** Organisational units (or the root) whose accounts get the guard, including accounts added later. */
  readonly organizationalUnits: readonly string[];
  readonly regions: readonly string[];
  readonly template: MemberTemplate;
  /** `DELEGATED_ADMIN` when deployed from a delegated administrator account, not the management account. */
  readonly callAs?: 'SELF' | 'DELEGATED_ADMIN';
  readonly stackSetName?: string;
  readonly maxConcurrentPercentage?: number;
  readonly failureTolerancePercentage?: number;
}

/**
 * The member guard as a service-managed StackSet (DESIGN §12): auto-deployment to the given OUs ×
 * regions, so that a new account gets the guard and a removed one loses it without anyone acting.
 */
export class GuardStackSetStack extends Stack {
  readonly stackSet: cfn.CfnStackSet;

  constructor(scope: Construct, id: string, props: StackSetStackProps) {
    super(scope, id, props);
    if (!validOrganizationId(props.organizationId)) {
      throw new OrgConfigError(
        `organizationId ${props.organizationId}: expected o- and 10 to 32 lowercase letters or digits`,
      );
    }
    if (props.organizationalUnits.length === 0)
      throw new OrgConfigError('organizationalUnits: give at least one OU id');
    if (props.regions.length === 0) throw new OrgConfigError('regions: give at least one region');
    const percent = (name: string, value: number | undefined, min: number) => {
      if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= 100)) {
        throw new OrgConfigError(`${name} ${value}: expected an integer from ${min} to 100`);
      }
    };
    percent('maxConcurrentPercentage', props.maxConcurrentPercentage, 1);
    percent('failureTolerancePercentage', props.failureTolerancePercentage, 0);

    // The template is an asset of this stack (in the bootstrap bucket): StackSets read it by URL.
    const template = this.synthesizer.addFileAsset({
      sourceHash: props.template.templateHash,
      fileName: props.template.templateFileName,
      packaging: FileAssetPackaging.FILE,
    });

    this.stackSet = new cfn.CfnStackSet(this, 'StackSet', {
      stackSetName: props.stackSetName ?? DEFAULT_STACKSET_NAME,
      description: 'eks-endpoint-guard in every account and region of the given organisational units',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: props.callAs ?? 'SELF',
      // The guard's role has a fixed name (the central bus policy and the protection SCP name it).
      capabilities: ['CAPABILITY_NAMED_IAM'],
      // Operations queue instead of failing while another one runs.
      managedExecution: { Active: true },
      operationPreferences: {
        regionConcurrencyType: DEFAULT_OPERATION_PREFERENCES.regionConcurrencyType,
        maxConcurrentPercentage:
          props.maxConcurrentPercentage ?? DEFAULT_OPERATION_PREFERENCES.maxConcurrentPercentage,
        failureTolerancePercentage:
          props.failureTolerancePercentage ?? DEFAULT_OPERATION_PREFERENCES.failureTolerancePercentage,
      },
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: [...props.organizationalUnits] },
          regions: [...props.regions],
        },
      ],
      templateUrl: template.httpUrl,
    });

    new CfnOutput(this, 'StackSetName', { value: this.stackSet.stackSetName });
  }
}
