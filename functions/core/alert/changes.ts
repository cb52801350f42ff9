import type { EndpointConfig } from '../endpoint';

// ---- what changed between two configurations ----

export type Change = 'public-off' | 'narrowed' | 'private-on';

/** The changes a target makes, most significant first (the guard only ever takes access away). */
export function changesOf(before: EndpointConfig | undefined, after: EndpointConfig | undefined): Change[] {
  if (!before || !after) return [];
  const changes: Change[] = [];
  if (before.publicAccess && !after.publicAccess) changes.push('public-off');
  if (before.publicAccess && after.publicAccess && !sameCidrs(before, after)) changes.push('narrowed');
  if (!before.privateAccess && after.privateAccess) changes.push('private-on');
  return changes;
}

export function sameCidrs(a: EndpointConfig, b: EndpointConfig): boolean {
  const right = new Set(b.publicAccessCidrs);
  return a.publicAccessCidrs.length === right.size && a.publicAccessCidrs.every((c) => right.has(c));
}

/** `a, b` or, when long, `a +3 more`. */
export function cidrList(cidrs: readonly string[]): string {
  const all = cidrs.join(', ');
  return all.length <= 40 || cidrs.length < 2 ? all : `${cidrs[0]} +${cidrs.length - 1} more`;
}
