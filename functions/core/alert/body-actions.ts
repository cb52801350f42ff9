import type { Trigger } from '../check-request';
import { forEmail } from '../escape';
import type { CheckResult } from '../result';
import type { AlertOptions } from './alert-options';
import { isTagEvent } from './derive';
import { indent, labelled, safe } from './email-layout';
import { policyFault } from './subject';

/**
 * The e-mail body's closing sections: what to fix, the update the guard follows, and how to get an
 * exemption. The opening sections (what happened, the facts, the trigger, the policy, what it
 * means for access) are in body.ts.
 */

/** The lockout fix is the guard's own text with the commands to run: long, and cut only far out. */
const MAX_FIX = 1500;

export function fixLines(result: CheckResult): string[] {
  if (result.outcome === 'exempt' && result.exemption) {
    const { exemption } = result;
    const source = exemption.source === 'tag' ? 'the cluster tag' : 'an entry in the policy exemptions';
    const until = !exemption.expires
      ? 'with no end date'
      : /T/.test(exemption.expires)
        ? `until ${exemption.expires}`
        : `until ${exemption.expires} (inclusive)`;
    const tagEvent = isTagEvent(result.trigger);
    return [
      'Exemption',
      `  Granted by ${source}, ${until}: ${safe(exemption.reason)}`,
      ...(exemption.capped ? [`  Shortened by the policy: ${safe(exemption.capped)}`] : []),
      ...(tagEvent
        ? [
            `  ${tagVerb(result.trigger)} by ${safe(result.trigger.actorArn) ?? 'an unknown actor'}${result.trigger.eventTime ? ` at ${safe(result.trigger.eventTime)}` : ''}`,
          ]
        : []),
      '  Remove it to let the guard enforce the policy on this cluster.',
    ];
  }
  const rejected = rejectedTagLines(result);
  if (rejected.length > 0) return rejected;
  const policy = result.outcome === 'failed' ? policyFault(result.reason) : undefined;
  if (policy) {
    return [
      'What to fix',
      `  Correct the policy in the SSM parameter ${policy.source}; until it can be read, the guard changes nothing on any cluster.`,
    ];
  }
  if (result.outcome === 'blocked') {
    return [
      'What to fix',
      `  ${forEmail(result.fix ?? result.reason, MAX_FIX)}`,
      '  Turning the public endpoint off while the VPC cannot resolve the private endpoint would cut nodes and kubectl off from the API server. The next sweep checks the cluster again.',
    ];
  }
  if (result.outcome === 'would-remediate' && result.fix) {
    return [
      'Before enforcing',
      `  ${forEmail(result.fix, MAX_FIX)}`,
      '  Until then the guard would refuse this change (outcome blocked) to keep private clients able to reach the API server.',
    ];
  }
  return [];
}

/** The exemption tag is on the cluster but did not exempt it: say so, and why. */
function rejectedTagLines(result: CheckResult): string[] {
  const tag = result.rejectedTag;
  if (!tag || result.outcome === 'exempt') return [];
  return [
    'Exemption tag not accepted',
    `  ${safe(tag.tag)}=${safe(tag.value)}: ${safe(tag.why)}`,
    ...(isTagEvent(result.trigger)
      ? [`  ${tagVerb(result.trigger)} by ${safe(result.trigger.actorArn) ?? 'an unknown actor'}`]
      : []),
  ];
}

function tagVerb(trigger: Trigger): string {
  const keys = trigger.tagKeys?.length ? ` (${trigger.tagKeys.join(', ')})` : '';
  return `${trigger.eventName === 'UntagResource' ? 'Tags removed' : 'Tags set'}${keys}`;
}

export function updateLines(result: CheckResult): string[] {
  const errors = (result.updateErrors ?? []).map((e) => `  - ${safe(e.code)}: ${safe(e.message)}`);
  if (!result.updateId && !result.updateStatus && errors.length === 0) return [];
  const lines = labelled([
    ['Update id', result.updateId],
    ['Status', result.updateStatus],
  ]);
  return ['EKS update', ...indent(lines), ...(errors.length ? ['  Errors reported by EKS:', ...errors] : [])];
}

export function exemptionLines(result: CheckResult, options: AlertOptions): string[] {
  const noncompliant =
    ['remediated', 'would-remediate', 'blocked'].includes(result.outcome) || result.graceUntil !== undefined;
  if (!noncompliant && !result.escalation) return [];
  return [
    'Need an exception?',
    options.exemptionTag === null
      ? `  Add an entry to \`exemptions\` in ${options.policyParameter} (the policy turns tag exemptions off).`
      : `  Tag the cluster ${options.exemptionTag}=<reason> or add an entry to \`exemptions\` in ${options.policyParameter}.`,
  ];
}

/** `Label:  value` lines, aligned, leaving out what is unknown. */
