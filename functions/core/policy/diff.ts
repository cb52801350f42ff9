import type { Policy } from './policy';

/** What a policy change did, for people: one line per change, and which of them weaken enforcement. */
export interface PolicyDiff {
  /** e.g. `mode: enforce → notify`, `allowedPublicCidrs: added 198.51.100.0/24`. */
  changes: string[];
  /** The subset of `changes` that let more through (critical alerts). */
  weaker: string[];
}

const PUBLIC_ORDER = ['disabled', 'restricted', 'allowed'] as const;

/**
 * Compares two policies field by field. `before` undefined means there was no readable previous
 * version: every rule of `after` is reported as set. Pure: the caller reads the parameter history.
 */
export function policyDiff(before: Policy | undefined, after: Policy): PolicyDiff {
  const diff: PolicyDiff = { changes: [], weaker: [] };
  const note = (line: string, weaker: boolean) => {
    diff.changes.push(line);
    if (weaker) diff.weaker.push(line);
  };
  if (!before) {
    note(`new policy: ${ruleWords(after)}`, after.mode === 'notify' || after.publicAccess === 'allowed');
    return diff;
  }
  if (before.mode !== after.mode) note(`mode: ${before.mode} → ${after.mode}`, after.mode === 'notify');
  if (before.publicAccess !== after.publicAccess) {
    note(
      `publicAccess: ${before.publicAccess} → ${after.publicAccess}`,
      looser(before.publicAccess, after.publicAccess),
    );
  }
  cidrChanges('allowedPublicCidrs', before.allowedPublicCidrs, after.allowedPublicCidrs, note, after);
  if (before.privateAccess !== after.privateAccess) {
    note(
      `privateAccess: ${before.privateAccess} → ${after.privateAccess}`,
      after.privateAccess === 'optional',
    );
  }
  if (before.exemptionTag !== after.exemptionTag) {
    const show = (tag: string | null) => (tag === null ? 'off (null)' : JSON.stringify(tag));
    note(
      `exemptionTag: ${show(before.exemptionTag)} → ${show(after.exemptionTag)}`,
      after.exemptionTag !== null,
    );
  }
  if (before.requireTagExpiry !== after.requireTagExpiry) {
    note(`requireTagExpiry: ${before.requireTagExpiry} → ${after.requireTagExpiry}`, !after.requireTagExpiry);
  }
  if (before.maxTagExemptionDays !== after.maxTagExemptionDays) {
    const was = before.maxTagExemptionDays;
    const now = after.maxTagExemptionDays;
    note(
      `maxTagExemptionDays: ${was ?? 'none'} → ${now ?? 'none'}`,
      now === undefined || (was !== undefined && now > was),
    );
  }
  if (before.gracePeriodMinutes !== after.gracePeriodMinutes) {
    note(
      `gracePeriodMinutes: ${before.gracePeriodMinutes} → ${after.gracePeriodMinutes}`,
      after.gracePeriodMinutes > before.gracePeriodMinutes,
    );
  }
  if (before.maxRemediationsPerRun !== after.maxRemediationsPerRun) {
    note(
      `maxRemediationsPerRun: ${before.maxRemediationsPerRun ?? 'unlimited'} → ${after.maxRemediationsPerRun ?? 'unlimited'}`,
      false,
    );
  }
  if (before.protectActiveClients !== after.protectActiveClients) {
    // defer lets a change that cuts off active clients stay for a grace period: a delay, so weaker.
    note(
      `protectActiveClients: ${before.protectActiveClients} → ${after.protectActiveClients}`,
      after.protectActiveClients === 'defer',
    );
  }
  if (before.alertLanguage !== after.alertLanguage) {
    note(`alertLanguage: ${before.alertLanguage} → ${after.alertLanguage}`, false);
  }
  exemptionChanges(before, after, note);
  overrideChanges(before, after, note);
  return diff;
}

type Note = (line: string, weaker: boolean) => void;

function looser(before: Policy['publicAccess'], after: Policy['publicAccess']): boolean {
  return PUBLIC_ORDER.indexOf(after) > PUBLIC_ORDER.indexOf(before);
}

function cidrChanges(
  label: string,
  before: readonly string[] | undefined,
  after: readonly string[] | undefined,
  note: Note,
  policy: { publicAccess?: Policy['publicAccess'] },
): void {
  const was = new Set(before ?? []);
  const now = new Set(after ?? []);
  const added = [...now].filter((c) => !was.has(c));
  const removed = [...was].filter((c) => !now.has(c));
  // More allowed networks let more through, when they are in use.
  const inUse = policy.publicAccess === undefined || policy.publicAccess === 'restricted';
  if (added.length > 0) note(`${label}: added ${added.join(', ')}`, inUse);
  if (removed.length > 0) note(`${label}: removed ${removed.join(', ')}`, false);
}

function exemptionChanges(before: Policy, after: Policy, note: Note): void {
  const key = (e: Policy['exemptions'][number]) => e.cluster;
  const was = new Map(before.exemptions.map((e) => [key(e), e]));
  const now = new Map(after.exemptions.map((e) => [key(e), e]));
  const words = (e: Policy['exemptions'][number]) =>
    `"${e.cluster}" (${e.reason}${e.expires ? `, until ${e.expires}` : ', no end date'})`;
  for (const [glob, entry] of now) {
    const old = was.get(glob);
    if (!old) note(`exemptions: added ${words(entry)}`, true);
    else if (old.reason !== entry.reason || old.expires !== entry.expires) {
      const longer = !entry.expires || (old.expires !== undefined && entry.expires > old.expires);
      note(`exemptions: changed ${words(old)} → ${words(entry)}`, longer);
    }
  }
  for (const [glob, entry] of was) if (!now.has(glob)) note(`exemptions: removed ${words(entry)}`, false);
}

function overrideChanges(before: Policy, after: Policy, note: Note): void {
  const key = (o: Policy['overrides'][number]) => JSON.stringify(o.clusters);
  const was = new Map(before.overrides.map((o) => [key(o), o]));
  const now = new Map(after.overrides.map((o) => [key(o), o]));
  const words = (o: Policy['overrides'][number]) => {
    const rules = [
      o.publicAccess && `publicAccess ${o.publicAccess}`,
      o.allowedPublicCidrs && `allowedPublicCidrs ${o.allowedPublicCidrs.join(', ')}`,
      o.privateAccess && `privateAccess ${o.privateAccess}`,
      o.gracePeriodMinutes !== undefined && `gracePeriodMinutes ${o.gracePeriodMinutes}`,
    ].filter(Boolean);
    return `${o.clusters.map((c) => `"${c}"`).join(', ')}: ${rules.join(', ') || 'no rules'}`;
  };
  const loosens = (
    o: Policy['overrides'][number],
    than: { publicAccess: Policy['publicAccess']; privateAccess: Policy['privateAccess'] },
  ) =>
    (o.publicAccess !== undefined && looser(than.publicAccess, o.publicAccess)) ||
    (o.privateAccess === 'optional' && than.privateAccess === 'required') ||
    (o.allowedPublicCidrs !== undefined && (o.publicAccess ?? after.publicAccess) === 'restricted');
  for (const [globs, entry] of now) {
    const old = was.get(globs);
    if (!old) note(`overrides: added ${words(entry)}`, loosens(entry, after));
    else if (words(old) !== words(entry)) {
      const than = {
        publicAccess: old.publicAccess ?? before.publicAccess,
        privateAccess: old.privateAccess ?? before.privateAccess,
      };
      const cidrsAdded = (entry.allowedPublicCidrs ?? []).some(
        (c) => !(old.allowedPublicCidrs ?? []).includes(c),
      );
      note(
        `overrides: changed ${words(old)} → ${words(entry)}`,
        (entry.publicAccess !== undefined && looser(than.publicAccess, entry.publicAccess)) ||
          (entry.privateAccess === 'optional' && than.privateAccess === 'required') ||
          cidrsAdded,
      );
    }
  }
  // An override stricter than the policy itself protected those clusters: removing it loosens them.
  const stricter = (o: Policy['overrides'][number]) =>
    (o.publicAccess !== undefined && looser(o.publicAccess, after.publicAccess)) ||
    (o.privateAccess === 'required' && after.privateAccess === 'optional');
  for (const [globs, entry] of was) {
    if (!now.has(globs)) note(`overrides: removed ${words(entry)}`, stricter(entry));
  }
}

function ruleWords(policy: Policy): string {
  const cidrs =
    policy.publicAccess === 'restricted' ? ` (${(policy.allowedPublicCidrs ?? []).join(', ')})` : '';
  return `mode ${policy.mode}, publicAccess ${policy.publicAccess}${cidrs}, privateAccess ${policy.privateAccess}`;
}
