import { EKS_DEFAULT_PUBLIC_CIDRS } from '../endpoint';
import { quote } from '../quote';
import { type IacCluster, type Setting, TERRAFORM_CLUSTER_TYPE } from './cluster';
import { toBoolean, toCidrList } from './settings';
import { type DocPath, IacInputError, isRecord, type Position, type SourceDoc, valueAt } from './source';

/**
 * The `aws_eks_cluster` resources of a Terraform (or OpenTofu) plan in JSON (`terraform show -json
 * PLAN`): `resource_changes` (with `after_unknown`), else `planned_values`, child modules included.
 *
 * `public_access_cidrs` is optional and computed: a configuration that leaves it out gets EKS's
 * `0.0.0.0/0`, and the plan shows it only as unknown until apply, exactly as it shows an
 * expression it cannot evaluate yet. The plan's `configuration` section tells the two apart.
 */
export function terraformClusters(doc: SourceDoc, file: string): IacCluster[] {
  const plan = doc.value;
  if (!isTerraformPlan(plan)) {
    throw new IacInputError(
      file,
      'not a Terraform plan: no format_version and planned_values or resource_changes',
    );
  }
  const clusters: IacCluster[] = [];
  const seen = new Set<string>();
  const changes = Array.isArray(plan.resource_changes) ? plan.resource_changes : [];
  changes.forEach((change, i) => {
    if (!isRecord(change) || change.type !== TERRAFORM_CLUSTER_TYPE || change.mode === 'data') return;
    const address = String(change.address ?? `resource_changes[${i}]`);
    const detail = isRecord(change.change) ? change.change : {};
    const actions = Array.isArray(detail.actions) ? detail.actions : [];
    // A cluster being destroyed (and not replaced) leaves nothing to check.
    if (actions.length > 0 && actions.every((a) => a === 'delete')) return;
    seen.add(address);
    const base: DocPath = ['resource_changes', i, 'change', 'after'];
    clusters.push(
      clusterOf(doc, file, {
        address,
        values: detail.after,
        unknown: detail.after_unknown,
        base,
        at: doc.at(['resource_changes', i, 'address']) ?? doc.at(['resource_changes', i]),
      }),
    );
  });
  for (const { resource, path } of plannedResources(plan.planned_values)) {
    const address = String(resource.address ?? '');
    if (resource.type !== TERRAFORM_CLUSTER_TYPE || resource.mode === 'data' || seen.has(address)) continue;
    clusters.push(
      clusterOf(doc, file, {
        address,
        values: resource.values,
        unknown: undefined,
        base: [...path, 'values'],
        at: doc.at([...path, 'address']) ?? doc.at(path),
      }),
    );
  }
  return clusters;
}

export function isTerraformPlan(value: unknown): value is Record<string, unknown> {
  return (
    isRecord(value) &&
    typeof value.format_version === 'string' &&
    (isRecord(value.planned_values) || Array.isArray(value.resource_changes))
  );
}

interface Entry {
  address: string;
  values: unknown;
  /** `after_unknown`: true, or a structure of the same shape with true at the unknown values. */
  unknown: unknown;
  base: DocPath;
  at: Position | undefined;
}

function clusterOf(doc: SourceDoc, file: string, entry: Entry): IacCluster {
  const configured = configurationOf(doc.value, entry.address);
  const vpc: DocPath = ['vpc_config', 0];
  const setting = <T>(
    key: string,
    coerce: (v: unknown) => { ok: true; value: T } | { ok: false; why: string },
  ) => settingOf(doc, entry, [...vpc, key], configured?.vpc, coerce);
  const name = valueAt(entry.values, ['name']);
  const nameUnknown = isUnknown(entry.unknown, ['name']);
  const tags = valueAt(entry.values, ['tags_all']) ?? valueAt(entry.values, ['tags']);
  return {
    format: 'terraform',
    file,
    resource: entry.address,
    resourceType: TERRAFORM_CLUSTER_TYPE,
    ...(entry.at ? { at: entry.at } : {}),
    name:
      typeof name === 'string' && !nameUnknown
        ? { value: name, from: 'name' }
        : {
            value: entry.address,
            from: 'address',
            note: `the name is known only at apply: the policy is applied to the resource address ${entry.address}`,
          },
    publicAccess: setting('endpoint_public_access', toBoolean),
    privateAccess: setting('endpoint_private_access', toBoolean),
    publicAccessCidrs: setting('public_access_cidrs', toCidrList),
    tags: isRecord(tags)
      ? Object.fromEntries(
          Object.entries(tags).filter((e): e is [string, string] => typeof e[1] === 'string'),
        )
      : {},
    notes: configured
      ? []
      : ['the plan has no configuration section: settings unknown until apply stay unknown'],
  };
}

function settingOf<T>(
  doc: SourceDoc,
  entry: Entry,
  path: DocPath,
  configured: Record<string, unknown> | undefined,
  coerce: (value: unknown) => { ok: true; value: T } | { ok: false; why: string },
): Setting<T> {
  const key = String(path[path.length - 1]);
  const at = doc.at([...entry.base, ...path]) ?? doc.at([...entry.base, 'vpc_config']) ?? entry.at;
  const where = at ? { at } : {};
  const value = valueAt(entry.values, path);
  if (isUnknown(entry.unknown, path)) {
    const expression = configured?.[key];
    // Computed by the provider and not in the configuration: EKS's default, 0.0.0.0/0.
    if (configured && expression === undefined && key === 'public_access_cidrs')
      return { state: 'absent', ...where };
    return { state: 'unknown', expression: expressionOf(expression, key), ...where };
  }
  if (value === undefined || value === null) return { state: 'absent', ...where };
  // An empty list is what the provider records for "not set": EKS then uses 0.0.0.0/0.
  if (key === 'public_access_cidrs' && Array.isArray(value) && value.length === 0) {
    return {
      state: 'set',
      value: [...EKS_DEFAULT_PUBLIC_CIDRS] as T,
      via: 'an empty list: the EKS default',
      ...where,
    };
  }
  const coerced = coerce(value);
  if (!coerced.ok) return { state: 'invalid', written: quote(value), why: coerced.why, ...where };
  return { state: 'set', value: coerced.value, ...where };
}

/** True when `after_unknown` marks the value at `path` (or a whole block above it) unknown. */
function isUnknown(unknown: unknown, path: DocPath): boolean {
  let node = unknown;
  for (const key of path) {
    if (node === true) return true;
    node = valueAt(node, [key]);
  }
  if (node === true) return true;
  return Array.isArray(node) && node.some((item) => item === true);
}

/** How the configuration writes an expression Terraform evaluates only at apply. */
function expressionOf(expression: unknown, key: string): string {
  const references =
    isRecord(expression) && Array.isArray(expression.references) ? expression.references : [];
  const named = references.filter((r): r is string => typeof r === 'string');
  if (named.length > 0)
    return `${key} = an expression of ${named.slice(0, 3).join(', ')} (known after apply)`;
  return `${key} (known after apply)`;
}

/** Every resource of planned_values, child modules included, with its path in the document. */
function plannedResources(planned: unknown): { resource: Record<string, unknown>; path: DocPath }[] {
  const found: { resource: Record<string, unknown>; path: DocPath }[] = [];
  const visit = (module: unknown, path: DocPath, depth: number) => {
    if (!isRecord(module) || depth > 50) return;
    if (Array.isArray(module.resources)) {
      module.resources.forEach((resource, i) => {
        if (isRecord(resource)) found.push({ resource, path: [...path, 'resources', i] });
      });
    }
    if (Array.isArray(module.child_modules)) {
      module.child_modules.forEach((child, i) => {
        visit(child, [...path, 'child_modules', i], depth + 1);
      });
    }
  };
  visit(isRecord(planned) ? planned.root_module : undefined, ['planned_values', 'root_module'], 0);
  return found;
}

/**
 * The configuration of the resource at `address` (`module.a["x"].module.b.aws_eks_cluster.c[0]`):
 * its `vpc_config` expressions, or undefined when the plan has no configuration for it.
 */
function configurationOf(plan: unknown, address: string): { vpc: Record<string, unknown> } | undefined {
  const parts = splitAddress(address);
  if (!parts) return undefined;
  let module = valueAt(plan, ['configuration', 'root_module']);
  for (const call of parts.modules) module = valueAt(module, ['module_calls', call, 'module']);
  if (!isRecord(module) || !Array.isArray(module.resources)) return undefined;
  const resource = module.resources.find((r) => isRecord(r) && r.address === parts.resource);
  if (!isRecord(resource)) return undefined;
  const vpc = valueAt(resource, ['expressions', 'vpc_config', 0]);
  return { vpc: isRecord(vpc) ? vpc : {} };
}

/** `module.a["k"].module.b.aws_eks_cluster.c[0]` → modules [a, b], resource `aws_eks_cluster.c`. */
export function splitAddress(address: string): { modules: string[]; resource: string } | undefined {
  const modules: string[] = [];
  let rest = address;
  const step = /^module\.([A-Za-z0-9_-]+)(\[[^\]]*\])?\./;
  for (let match = step.exec(rest); match; match = step.exec(rest)) {
    modules.push(match[1] as string);
    rest = rest.slice(match[0].length);
  }
  const resource = /^([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)(\[[^\]]*\])?$/.exec(rest);
  return resource ? { modules, resource: resource[1] as string } : undefined;
}
