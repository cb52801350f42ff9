import { EKS_DEFAULT_PUBLIC_CIDRS, type EndpointConfig } from '../endpoint';
import { CDK_CLUSTER_TYPE, type IacCluster, wordsOf } from './cluster';

export type SettingKey = 'publicAccess' | 'privateAccess' | 'publicAccessCidrs';

/** A setting as the cluster's own format names it: `ResourcesVpcConfig.EndpointPublicAccess`, `vpc_config.endpoint_public_access`. */
export function settingPhrase(cluster: Pick<IacCluster, 'format' | 'resourceType'>, key: SettingKey): string {
  return wordsOf(cluster)[key];
}

/** The compliant values to write, in the words of the format the cluster is written in. */
export function fixText(
  cluster: Pick<IacCluster, 'format' | 'resourceType'>,
  target: EndpointConfig,
): string {
  const cidrs = target.publicAccess ? target.publicAccessCidrs : [];
  const list = (quote: string) => `[${cidrs.map((c) => `${quote}${c}${quote}`).join(', ')}]`;
  if (cluster.format === 'terraform') {
    const parts = [
      `endpoint_public_access = ${target.publicAccess}`,
      `endpoint_private_access = ${target.privateAccess}`,
      ...(cidrs.length > 0 ? [`public_access_cidrs = ${list('"')}`] : []),
    ];
    return `vpc_config { ${parts.join(', ')} }`;
  }
  if (cluster.resourceType === CDK_CLUSTER_TYPE) return `endpointAccess: ${cdkEndpointAccess(target)}`;
  const parts = [
    `EndpointPublicAccess: ${target.publicAccess}`,
    `EndpointPrivateAccess: ${target.privateAccess}`,
    ...(cidrs.length > 0 ? [`PublicAccessCidrs: ${list('')}`] : []),
  ];
  const cloudFormation = `ResourcesVpcConfig: { ${parts.join(', ')} }`;
  if (cluster.format !== 'cdk') return cloudFormation;
  // In a CDK assembly an AWS::EKS::Cluster comes from CfnCluster or the aws-eks-v2 Cluster.
  return `${cloudFormation} (CDK: endpointAccess: ${cdkEndpointAccess(target)} on an aws-eks-v2 Cluster)`;
}

/** `EndpointAccess.PRIVATE`, `EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24')`. */
export function cdkEndpointAccess(target: EndpointConfig): string {
  if (!target.publicAccess) return 'EndpointAccess.PRIVATE';
  const base = target.privateAccess ? 'EndpointAccess.PUBLIC_AND_PRIVATE' : 'EndpointAccess.PUBLIC';
  const open =
    target.publicAccessCidrs.length === 0 || sameList(target.publicAccessCidrs, EKS_DEFAULT_PUBLIC_CIDRS);
  return open ? base : `${base}.onlyFrom(${target.publicAccessCidrs.map((c) => `'${c}'`).join(', ')})`;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
