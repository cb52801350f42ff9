import { CDK_CLUSTER_TYPE, CLUSTER_TYPE, type IacCluster, type IacFormat } from './cluster';
import { expressionText, type ResolveContext, templateParameters } from './intrinsics';
import { booleanSetting, cidrListSetting, type Found, knownText, member, writtenAs } from './settings';
import { type DocPath, IacInputError, isRecord, type Position, type SourceDoc } from './source';

/**
 * The EKS clusters of a CloudFormation template (JSON or YAML) or of a template in a CDK cloud
 * assembly: `AWS::EKS::Cluster` (CloudFormation, `CfnCluster`, `aws-eks-v2`) and the `aws-eks` L2
 * custom resource `Custom::AWSCDK-EKS-Cluster`, whose settings sit in `Config` in the EKS API's
 * own words.
 */
export function cloudFormationClusters(
  doc: SourceDoc,
  file: string,
  options: { format: Exclude<IacFormat, 'terraform'>; parameters?: Record<string, string> },
): IacCluster[] {
  const template = doc.value;
  if (!isRecord(template) || !isRecord(template.Resources)) {
    throw new IacInputError(file, 'not a CloudFormation template: no Resources section', start(doc.at([])));
  }
  const context: ResolveContext = {
    parameters: templateParameters(template.Parameters),
    given: options.parameters ?? {},
  };
  const clusters: IacCluster[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!isRecord(resource)) continue;
    if (resource.Type !== CLUSTER_TYPE && resource.Type !== CDK_CLUSTER_TYPE) continue;
    const base: DocPath = ['Resources', logicalId];
    const properties: Found = Object.hasOwn(resource, 'Properties')
      ? { present: true, raw: resource.Properties }
      : { present: false };
    const cluster = clusterFromProperties(properties, {
      format: options.format,
      file,
      logicalId,
      resourceType: resource.Type,
      context,
      at: (path) => doc.at([...base, 'Properties', ...path]),
    });
    const where = doc.at(base);
    if (where) cluster.at = where;
    if (typeof resource.Condition === 'string') {
      cluster.notes.push(`created only when the condition ${resource.Condition} is true`);
    }
    const path = isRecord(resource.Metadata) ? resource.Metadata['aws:cdk:path'] : undefined;
    if (typeof path === 'string') cluster.constructPath = path;
    clusters.push(cluster);
  }
  return clusters;
}

export interface PropertiesSource {
  format: IacFormat;
  file: string;
  logicalId: string;
  resourceType: string;
  context: ResolveContext;
  /** Where a property (a path below `Properties`) is written, or undefined. */
  at?: (path: DocPath) => Position | undefined;
  /** How an absent name is explained (a hook's Cloud Control request has a made-up logical id). */
  generatedName?: string;
}

/**
 * One cluster from its properties: a template's (with expressions) or a hook request's (resolved
 * values, booleans possibly strings). Shared by `iac check` and the hook.
 */
export function clusterFromProperties(properties: Found, source: PropertiesSource): IacCluster {
  const { context } = source;
  const custom = source.resourceType === CDK_CLUSTER_TYPE;
  const container = custom ? member(properties, 'Config', context) : properties;
  const prefix: DocPath = custom ? ['Config'] : [];
  const vpcKey = custom ? 'resourcesVpcConfig' : 'ResourcesVpcConfig';
  const vpc = member(container, vpcKey, context);
  const keys = custom
    ? {
        publicAccess: 'endpointPublicAccess',
        privateAccess: 'endpointPrivateAccess',
        cidrs: 'publicAccessCidrs',
      }
    : {
        publicAccess: 'EndpointPublicAccess',
        privateAccess: 'EndpointPrivateAccess',
        cidrs: 'PublicAccessCidrs',
      };
  // An absent setting is pointed at where it belongs: its block, else the properties, else the resource.
  const at = (key: string) =>
    source.at?.([...prefix, vpcKey, key]) ??
    source.at?.([...prefix, vpcKey]) ??
    source.at?.(prefix) ??
    source.at?.([]);
  const nameFound = member(container, custom ? 'name' : 'Name', context);
  const tagsFound = member(container, custom ? 'tags' : 'Tags', context);
  return {
    format: source.format,
    file: source.file,
    resource: source.logicalId,
    resourceType: source.resourceType,
    name: nameOf(nameFound, source),
    publicAccess: booleanSetting(
      member(vpc, keys.publicAccess, context),
      context,
      true,
      at(keys.publicAccess),
    ),
    privateAccess: booleanSetting(
      member(vpc, keys.privateAccess, context),
      context,
      false,
      at(keys.privateAccess),
    ),
    publicAccessCidrs: cidrListSetting(member(vpc, keys.cidrs, context), context, at(keys.cidrs)),
    tags: tagsOf(tagsFound, context),
    notes: [],
  };
}

function nameOf(found: Found, source: PropertiesSource): IacCluster['name'] {
  const known = knownText(found, source.context);
  if (known) {
    return { value: known.value, from: 'name', ...(known.via ? { note: `the name is ${known.via}` } : {}) };
  }
  const written = writtenAs(found, source.context);
  const note = written
    ? `the name is ${written}, known only at deploy: the policy is applied to the logical id ${source.logicalId}`
    : (source.generatedName ??
      `no name is set, so CloudFormation generates one: the policy is applied to the logical id ${source.logicalId}`);
  return { value: source.logicalId, from: 'logical-id', note };
}

/** `[{ Key, Value }]` (AWS::EKS::Cluster) or `{ key: value }` (the custom resource): the literal ones. */
function tagsOf(found: Found, context: ResolveContext): Record<string, string> {
  const tags: Record<string, string> = {};
  if (found.present !== true) return tags;
  const raw = found.raw;
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      const key = knownText(member({ present: true, raw: entry }, 'Key', context), context);
      const value = knownText(member({ present: true, raw: entry }, 'Value', context), context);
      if (key && value) tags[key.value] = value.value;
    }
  } else if (isRecord(raw) && !expressionOf(raw)) {
    for (const [key, value] of Object.entries(raw)) {
      const text = knownText({ present: true, raw: value }, context);
      if (text) tags[key] = text.value;
    }
  }
  return tags;
}

function expressionOf(value: Record<string, unknown>): string | undefined {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]?.startsWith('Fn::'))
    ? expressionText(value)
    : undefined;
}

function start(position: Position | undefined): { line: number; column: number } | undefined {
  return position && { line: position.line, column: position.column };
}
