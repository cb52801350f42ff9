import type { Policy, PrivateAccessRule, PublicAccessRule } from './policy';

/**
 * The rules of a policy in plain words, one sentence a line: what `policy show` and the demo print.
 * Fields this version does not know are left out, never guessed at.
 */
export function policyInWords(policy: Policy): string[] {
  const lines: string[] = [];
  lines.push(
    policy.mode === 'notify'
      ? 'Mode notify: a non-compliant cluster is reported and alerted, never changed.'
      : 'Mode enforce: a non-compliant cluster is put back into compliance and alerted.',
  );
  const rules = rulesInWords(policy.publicAccess, policy.allowedPublicCidrs ?? [], policy.privateAccess);
  lines.push(
    policy.overrides.length > 0 ? `Every cluster but those below: ${rules}.` : `Every cluster: ${rules}.`,
  );
  for (const override of policy.overrides) {
    const publicAccess = override.publicAccess ?? policy.publicAccess;
    const cidrs = override.allowedPublicCidrs ?? policy.allowedPublicCidrs ?? [];
    const privateAccess = override.privateAccess ?? policy.privateAccess;
    lines.push(`${override.clusters.join(', ')}: ${rulesInWords(publicAccess, cidrs, privateAccess)}.`);
  }
  const extra = policy as unknown as Record<string, unknown>;
  if (typeof extra.gracePeriodMinutes === 'number' && extra.gracePeriodMinutes > 0) {
    lines.push(`A new violation is alerted at once and reverted ${extra.gracePeriodMinutes} minutes later.`);
  }
  if (typeof extra.maxRemediationsPerRun === 'number') {
    lines.push(`A sweep changes at most ${extra.maxRemediationsPerRun} clusters; the rest are reported.`);
  }
  if (extra.protectActiveClients === 'defer') {
    lines.push(
      'A change that would cut off API clients active in the audit log waits one grace period, with them named.',
    );
  } else if (extra.protectActiveClients === 'off') {
    lines.push('Changes do not look up the API clients they cut off.');
  }
  const tag: string | null | undefined = policy.exemptionTag;
  lines.push(tag ? `A cluster tagged ${tag}=<reason> is exempt.` : 'Tag exemptions are off.');
  for (const exemption of policy.exemptions) {
    const until = exemption.expires ? ` until ${String(exemption.expires)}` : '';
    lines.push(`${exemption.cluster} is exempt${until} (${exemption.reason}).`);
  }
  return lines;
}

/** `public endpoint allowed from 203.0.113.0/24 only, private endpoint optional` */
export function rulesInWords(
  publicAccess: PublicAccessRule,
  cidrs: readonly string[],
  privateAccess: PrivateAccessRule,
): string {
  const publicWords = {
    disabled: 'public endpoint disabled',
    restricted: `public endpoint allowed from ${cidrs.join(', ')} only`,
    allowed: 'public endpoint allowed from anywhere',
  }[publicAccess];
  return `${publicWords}, private endpoint ${privateAccess}`;
}
