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
 * What to fix before the public endpoint can go off, or undefined when clients in the VPC can
 * resolve the private endpoint: it is reachable only through the EKS managed private hosted zone,
 * so the VPC needs DNS support, DNS hostnames, and DHCP options whose DNS servers include the
 * Amazon-provided resolver (custom servers cannot resolve the zone unless they forward to it).
 */
export function lockoutFixOf(dns: VpcDnsFacts, region?: string): string | undefined {
  const fixes: string[] = [];
  const commands = [
    dns.dnsSupport ? '' : `aws ec2 modify-vpc-attribute --vpc-id ${dns.vpcId} --enable-dns-support`,
    dns.dnsHostnames ? '' : `aws ec2 modify-vpc-attribute --vpc-id ${dns.vpcId} --enable-dns-hostnames`,
  ].filter(Boolean);
  if (commands.length > 0) {
    const missing = [dns.dnsSupport ? '' : 'DNS support', dns.dnsHostnames ? '' : 'DNS hostnames'].filter(
      Boolean,
    );
    fixes.push(`turn on ${missing.join(' and ')} in ${dns.vpcId} (${commands.join('; ')})`);
  }
  const dhcp = dhcpFix(dns, region);
  if (dhcp) fixes.push(dhcp);
  return fixes.length > 0 ? fixes.join('; and ') : undefined;
}

function dhcpFix(dns: VpcDnsFacts, region: string | undefined): string | undefined {
  const servers = dns.domainNameServers;
  if (!servers || servers.includes(AMAZON_PROVIDED_DNS)) return undefined;
  // Set by the account's admins, but still text from AWS: address characters and lengths, at most four.
  const shown = servers.slice(0, 4).map((s) => s.slice(0, 45).replace(/[^0-9A-Za-z.:-]/g, '?'));
  const zone = region && /^[a-z0-9-]+$/.test(region) ? `${region}.eks.amazonaws.com` : 'eks.amazonaws.com';
  const options = dns.dhcpOptionsId ?? 'of the VPC';
  const handed = shown.length > 0 ? `hand out only ${shown.join(', ')}` : 'name no DNS servers';
  return (
    `the DHCP options ${options} of ${dns.vpcId} ${handed}, not AmazonProvidedDNS, so clients cannot resolve ` +
    `the private endpoint: forward ${zone} from those DNS servers to the VPC resolver (a Route 53 Resolver ` +
    'inbound endpoint), or associate DHCP options that include it (aws ec2 create-dhcp-options ' +
    '--dhcp-configurations "Key=domain-name-servers,Values=AmazonProvidedDNS"; then ' +
    `aws ec2 associate-dhcp-options --dhcp-options-id <the new dopt- id> --vpc-id ${dns.vpcId})`
  );
}
