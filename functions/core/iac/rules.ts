import type { IacRule } from './evaluate';

/** What each rule of `iac check` means, for people (text and SARIF help) and for code scanning. */
export interface IacRuleHelp {
  /** PascalCase, as code scanning lists rules. */
  name: string;
  short: string;
  full: string;
  help: string;
  level: 'error' | 'warning';
  /** Code scanning's 0.1-10.0 scale: 9+ critical, 7+ high, 4+ medium. */
  securitySeverity: string;
  precision: 'very-high' | 'high' | 'medium';
}

export const IAC_RULE_HELP: Record<IacRule, IacRuleHelp> = {
  'public-disabled': {
    name: 'PublicEndpointDisabled',
    short: 'The policy requires the public API server endpoint of this cluster to be off.',
    full: 'The EKS cluster would be created or updated with its public Kubernetes API server endpoint on, where the organisation policy requires it off.',
    help: 'The organisation policy (publicAccess "disabled", possibly through an override) allows this cluster no public API server endpoint. Set the public endpoint off and the private endpoint on, as the fix in the result says. If the cluster must be public, ask the policy owners for an override or an exemption: once deployed, the guard would turn the public endpoint off.',
    level: 'error',
    securitySeverity: '8.0',
    precision: 'very-high',
  },
  'public-cidrs': {
    name: 'PublicEndpointOutsideAllowedNetworks',
    short:
      'The public API server endpoint of this cluster would be open to networks outside the allowed list.',
    full: 'The EKS cluster would allow its public Kubernetes API server endpoint from CIDR blocks outside the allowed networks of the organisation policy (an absent list means 0.0.0.0/0).',
    help: 'The organisation policy (publicAccess "restricted") allows the public endpoint only from its allowed CIDR blocks. List only blocks inside them, as the fix in the result says, or turn the public endpoint off. An absent list is the EKS default 0.0.0.0/0: the whole internet. Once deployed, the guard would narrow the list itself.',
    level: 'error',
    securitySeverity: '7.5',
    precision: 'very-high',
  },
  'private-required': {
    name: 'PrivateEndpointRequired',
    short: 'The policy requires the private API server endpoint of this cluster to be on.',
    full: 'The EKS cluster would be created or updated with its private (in-VPC) Kubernetes API server endpoint off, where the organisation policy requires it on.',
    help: 'The organisation policy (privateAccess "required") wants the API server reachable from inside the VPC, so that nodes and in-VPC clients do not go through the public endpoint. Turn the private endpoint on; the VPC needs DNS support and DNS hostnames. Once deployed, the guard would turn it on itself.',
    level: 'error',
    securitySeverity: '5.0',
    precision: 'very-high',
  },
  'unknown-until-deploy': {
    name: 'EndpointSettingUnknownUntilDeploy',
    short: 'An endpoint setting of this cluster is known only at deploy, and compliance depends on it.',
    full: 'An endpoint setting is an expression (a reference to a resource, a condition, a value computed at apply) whose value decides whether the cluster complies with the organisation policy; the check does not guess it.',
    help: 'The check evaluates the cluster for every value the expression may take, and some of them break the policy. Write the compliant value as a literal, or give the parameter with --parameters, so that compliance can be proven before deploy. Otherwise the CloudFormation hook (when enabled) checks the resolved value at deploy, and the guard checks the cluster once it exists.',
    level: 'warning',
    securitySeverity: '4.0',
    precision: 'medium',
  },
  'invalid-value': {
    name: 'EndpointSettingInvalid',
    short: 'An endpoint setting of this cluster has a value the service refuses.',
    full: 'An endpoint setting is a literal that is not a boolean or not a CIDR block, so the deploy would fail and compliance cannot be checked.',
    help: 'Write true or false for the endpoint booleans (CloudFormation and Terraform also accept the strings "true" and "false"), and CIDR blocks with their host bits zero, such as 203.0.113.0/24, for the public access list.',
    level: 'warning',
    securitySeverity: '4.0',
    precision: 'high',
  },
};

export const IAC_RULES = Object.keys(IAC_RULE_HELP) as IacRule[];
