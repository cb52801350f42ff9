import type { Position } from './source';

/** Where a cluster was read from: the format names the property words of the fix. */
export type IacFormat = 'cloudformation' | 'cdk' | 'terraform';

/**
 * One endpoint setting as written:
 * - `set`: a value known before deploy (a literal, or a parameter's given or default value);
 * - `absent`: not written, so the EKS default applies;
 * - `unknown`: an expression known only at deploy (a `Ref` to a resource, a condition, a value
 *   Terraform computes at apply); `candidates` when it can only be one of a few values (both
 *   branches of an `Fn::If`, a parameter's allowed values);
 * - `invalid`: a literal the service would refuse (`"yes"` for a boolean).
 */
export type Setting<T> =
  | { state: 'set'; value: T; at?: Position; via?: string }
  | { state: 'absent'; at?: Position }
  | { state: 'unknown'; expression: string; candidates?: T[]; at?: Position }
  | { state: 'invalid'; written: string; why: string; at?: Position };

/** Which name the policy's cluster globs are matched against. */
export type NameSource = 'name' | 'logical-id' | 'address';

/** One EKS cluster found in a template, an assembly, a plan or a hook request. */
export interface IacCluster {
  format: IacFormat;
  file: string;
  /** The logical id, or the Terraform resource address. */
  resource: string;
  resourceType: string;
  /** Where the resource is written. */
  at?: Position;
  /** The cluster name the policy is applied to, and where it came from. */
  name: { value: string; from: NameSource; note?: string };
  publicAccess: Setting<boolean>;
  privateAccess: Setting<boolean>;
  publicAccessCidrs: Setting<string[]>;
  /** The tags known before deploy (the exemption tag is one of them). */
  tags: Record<string, string>;
  /** The CDK construct path, when the template records it. */
  constructPath?: string;
  /** Facts a reader should know, e.g. the resource is created only under a condition. */
  notes: string[];
}

/** The property names the three settings have in each form, for messages and fixes. */
export const SETTING_WORDS: Record<
  'cloudformation' | 'custom-resource' | 'terraform',
  Record<'publicAccess' | 'privateAccess' | 'publicAccessCidrs', string>
> = {
  cloudformation: {
    publicAccess: 'ResourcesVpcConfig.EndpointPublicAccess',
    privateAccess: 'ResourcesVpcConfig.EndpointPrivateAccess',
    publicAccessCidrs: 'ResourcesVpcConfig.PublicAccessCidrs',
  },
  'custom-resource': {
    publicAccess: 'Config.resourcesVpcConfig.endpointPublicAccess',
    privateAccess: 'Config.resourcesVpcConfig.endpointPrivateAccess',
    publicAccessCidrs: 'Config.resourcesVpcConfig.publicAccessCidrs',
  },
  terraform: {
    publicAccess: 'vpc_config.endpoint_public_access',
    privateAccess: 'vpc_config.endpoint_private_access',
    publicAccessCidrs: 'vpc_config.public_access_cidrs',
  },
};

export const CLUSTER_TYPE = 'AWS::EKS::Cluster';
/** The custom resource of the `aws-eks` CDK L2 `Cluster`: its settings sit in `Config`. */
export const CDK_CLUSTER_TYPE = 'Custom::AWSCDK-EKS-Cluster';
export const TERRAFORM_CLUSTER_TYPE = 'aws_eks_cluster';

/** Which property words a cluster's settings are written with. */
export function wordsOf(
  cluster: Pick<IacCluster, 'format' | 'resourceType'>,
): Record<'publicAccess' | 'privateAccess' | 'publicAccessCidrs', string> {
  if (cluster.format === 'terraform') return SETTING_WORDS.terraform;
  return cluster.resourceType === CDK_CLUSTER_TYPE
    ? SETTING_WORDS['custom-resource']
    : SETTING_WORDS.cloudformation;
}
