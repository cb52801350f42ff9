/** What a VPC without a DHCP options set of its own hands out (`DhcpOptionsId` is `default`). */
export const AMAZON_PROVIDED_DNS = 'AmazonProvidedDNS';

/** The VPC facts the lockout guard reads (the EC2 port's VpcDns). */
export interface VpcDnsFacts {
  vpcId: string;
  dnsSupport: boolean;
  dnsHostnames: boolean;
  dhcpOptionsId?: string;
  /** Absent when not looked up: then the DHCP options are not judged. */
  domainNameServers?: string[];
}

/**
 * Why the public endpoint cannot go off yet, as facts each language phrases (alert/phrases-*.ts):
 * the VPC attributes to turn on, and DHCP options whose DNS servers cannot resolve the private
 * endpoint. Every value here is from AWS and shown as such.
 */
export interface Lockout {
  vpcId: string;
  /** The VPC attributes that are off and must be on, in this order. */
  turnOn: ('dnsSupport' | 'dnsHostnames')[];
  dhcp?: {
    /** `dopt-…`; absent when EC2 did not say. */
    optionsId?: string;
    /** The DNS servers they hand out (address characters only, at most four). */
    servers: string[];
    /** The EKS zone to forward: `<region>.eks.amazonaws.com`, or `eks.amazonaws.com`. */
    zone: string;
  };
}

/**
 * What stands in the way before the public endpoint can go off, or undefined when clients in the
 * VPC can resolve the private endpoint: it is reachable only through the EKS managed private
 * hosted zone, so the VPC needs DNS support, DNS hostnames, and DHCP options whose DNS servers
 * include the Amazon-provided resolver (custom servers cannot resolve the zone unless they forward
 * to it).
 */
export function lockoutOf(dns: VpcDnsFacts, region?: string): Lockout | undefined {
  const turnOn = [
    ...(dns.dnsSupport ? [] : (['dnsSupport'] as const)),
    ...(dns.dnsHostnames ? [] : (['dnsHostnames'] as const)),
  ];
  const servers = dns.domainNameServers;
  const dhcp =
    servers && !servers.includes(AMAZON_PROVIDED_DNS)
      ? {
          ...(dns.dhcpOptionsId ? { optionsId: dns.dhcpOptionsId } : {}),
          // Set by the account's admins, but still text from AWS: address characters and lengths, at most four.
          servers: servers.slice(0, 4).map((s) => s.slice(0, 45).replace(/[^0-9A-Za-z.:-]/g, '?')),
          zone: region && /^[a-z0-9-]+$/.test(region) ? `${region}.eks.amazonaws.com` : 'eks.amazonaws.com',
        }
      : undefined;
  if (turnOn.length === 0 && !dhcp) return undefined;
  return { vpcId: dns.vpcId, turnOn, ...(dhcp ? { dhcp } : {}) };
}

/** The commands that turn the missing VPC attributes on (the same in every language). */
export function lockoutCommands(lockout: Lockout): string[] {
  return lockout.turnOn.map(
    (attribute) =>
      `aws ec2 modify-vpc-attribute --vpc-id ${lockout.vpcId} --enable-${attribute === 'dnsSupport' ? 'dns-support' : 'dns-hostnames'}`,
  );
}

/** The commands that give the VPC DHCP options with the Amazon-provided resolver. */
export function dhcpCommands(vpcId: string): string[] {
  return [
    'aws ec2 create-dhcp-options --dhcp-configurations "Key=domain-name-servers,Values=AmazonProvidedDNS"',
    `aws ec2 associate-dhcp-options --dhcp-options-id <the new dopt- id> --vpc-id ${vpcId}`,
  ];
}

/** The lockout in English, one line: the `fix` of a blocked or notify-mode decision. */
export function lockoutFixEn(lockout: Lockout): string {
  const fixes: string[] = [];
  if (lockout.turnOn.length > 0) {
    const missing = lockout.turnOn.map((a) => (a === 'dnsSupport' ? 'DNS support' : 'DNS hostnames'));
    fixes.push(
      `turn on ${missing.join(' and ')} in ${lockout.vpcId} (${lockoutCommands(lockout).join('; ')})`,
    );
  }
  const dhcp = lockout.dhcp;
  if (dhcp) {
    const options = dhcp.optionsId ?? 'of the VPC';
    const handed =
      dhcp.servers.length > 0 ? `hand out only ${dhcp.servers.join(', ')}` : 'name no DNS servers';
    const [create, associate] = dhcpCommands(lockout.vpcId);
    fixes.push(
      `the DHCP options ${options} of ${lockout.vpcId} ${handed}, not AmazonProvidedDNS, so clients cannot resolve ` +
        `the private endpoint: forward ${dhcp.zone} from those DNS servers to the VPC resolver (a Route 53 Resolver ` +
        `inbound endpoint), or associate DHCP options that include it (${create}; then ${associate})`,
    );
  }
  return fixes.join('; and ');
}

/** What to fix before the public endpoint can go off, in English, or undefined when nothing stands in the way. */
export function lockoutFixOf(dns: VpcDnsFacts, region?: string): string | undefined {
  const lockout = lockoutOf(dns, region);
  return lockout ? lockoutFixEn(lockout) : undefined;
}
