/** The three endpoint settings of an EKS cluster, with the EKS defaults filled in. */
export interface EndpointConfig {
  publicAccess: boolean;
  privateAccess: boolean;
  /** Meaningful only while publicAccess is true: EKS keeps stale values otherwise. */
  publicAccessCidrs: string[];
}

export const EKS_DEFAULT_PUBLIC_CIDRS = ['0.0.0.0/0'];

/** The raw shape of `cluster.resourcesVpcConfig`; any field may be absent. */
export interface RawVpcConfig {
  endpointPublicAccess?: boolean | null;
  endpointPrivateAccess?: boolean | null;
  publicAccessCidrs?: string[] | null;
}

/** Absent fields mean the EKS defaults: public on, private off, open to 0.0.0.0/0. */
export function endpointConfigOf(raw: RawVpcConfig | undefined): EndpointConfig {
  const cidrs = raw?.publicAccessCidrs;
  return {
    publicAccess: raw?.endpointPublicAccess ?? true,
    privateAccess: raw?.endpointPrivateAccess ?? false,
    publicAccessCidrs: cidrs && cidrs.length > 0 ? [...cidrs] : [...EKS_DEFAULT_PUBLIC_CIDRS],
  };
}

/** True when two configurations grant the same access (CIDR order and stale CIDRs ignored). */
export function sameEndpointConfig(a: EndpointConfig, b: EndpointConfig): boolean {
  if (a.publicAccess !== b.publicAccess || a.privateAccess !== b.privateAccess) return false;
  if (!a.publicAccess) return true;
  const left = new Set(a.publicAccessCidrs);
  const right = new Set(b.publicAccessCidrs);
  return left.size === right.size && [...left].every((cidr) => right.has(cidr));
}

/** A short human form, e.g. `public (0.0.0.0/0) + private`. */
export function describeEndpointConfig(config: EndpointConfig): string {
  const parts: string[] = [];
  if (config.publicAccess) parts.push(`public (${config.publicAccessCidrs.join(', ')})`);
  if (config.privateAccess) parts.push('private');
  return parts.length > 0 ? parts.join(' + ') : 'no endpoint';
}
