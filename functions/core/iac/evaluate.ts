import { type ActiveExemption, type EffectivePolicy, effectivePolicyFor } from '../effective';
import { EKS_DEFAULT_PUBLIC_CIDRS, type EndpointConfig } from '../endpoint';
import { evaluateEndpoint, type ViolationRule } from '../evaluate';
import { planTarget } from '../plan';
import type { Policy } from '../policy/policy';
import type { IacCluster, Setting } from './cluster';
import { type SettingKey, settingPhrase } from './words';

/** The guard's three rules, and two of the check's own: a value known only at deploy, a value the service refuses. */
export type IacRule = ViolationRule | 'unknown-until-deploy' | 'invalid-value';

export interface IacFinding {
  rule: IacRule;
  /** One sentence: what is wrong, in the template's own words. */
  message: string;
  /** The setting the finding is about (absent for a rule broken by the combination). */
  setting?: SettingKey;
}

/** `unknown`: compliance cannot be proven before deploy; `exempt`: the policy exempts the cluster. */
export type IacStatus = 'compliant' | 'non-compliant' | 'unknown' | 'exempt';

export interface IacVerdict {
  status: IacStatus;
  /** Definite violations first, then what cannot be known; listed for exempt clusters too. */
  findings: IacFinding[];
  effective: EffectivePolicy;
  exemption?: ActiveExemption;
  /** The endpoint the cluster gets, when every setting is known before deploy. */
  config?: EndpointConfig;
  /** The compliant values to write (the guard's own minimal target); absent when compliant. */
  target?: EndpointConfig;
}

const SETTINGS: readonly SettingKey[] = ['publicAccess', 'privateAccess', 'publicAccessCidrs'];
/** Which settings each rule of the guard reads. */
const RULE_READS: Record<ViolationRule, readonly SettingKey[]> = {
  'public-disabled': ['publicAccess'],
  'public-cidrs': ['publicAccess', 'publicAccessCidrs'],
  'private-required': ['privateAccess'],
};

/** The setting a broken rule is located at: the one to change. */
const RULE_POINTS_AT: Record<ViolationRule, SettingKey> = {
  'public-disabled': 'publicAccess',
  'public-cidrs': 'publicAccessCidrs',
  'private-required': 'privateAccess',
};

/**
 * The guard's own evaluation (effective policy, evaluate, plan) applied to a cluster as written.
 * A setting known only at deploy is never guessed: the configuration is evaluated for every value
 * it may take (both booleans; for CIDRs the allowed list, `0.0.0.0/0` and `::/0`, which between
 * them comply or not exactly when some list could). A rule broken in every case is a violation; a
 * rule broken in some is `unknown-until-deploy`.
 */
export function evaluateCluster(cluster: IacCluster, policy: Policy, now: Date): IacVerdict {
  const effective = effectivePolicyFor(policy, { name: cluster.name.value, tags: cluster.tags }, now);
  const cases = completions(cluster, effective);
  const broken = cases.map((config) => evaluateEndpoint(config, effective).violations);
  const findings: IacFinding[] = [];

  const rules = [...new Set(broken.flat().map((v) => v.rule))];
  const definite = rules.filter((rule) =>
    broken.every((violations) => violations.some((v) => v.rule === rule)),
  );
  for (const rule of definite) {
    const violation = broken[0]?.find((v) => v.rule === rule);
    if (violation) {
      findings.push({
        rule,
        setting: RULE_POINTS_AT[rule],
        message: `${violation.reason}${viaOf(cluster, rule)}`,
      });
    }
  }
  // What a deploy-time value decides: each open setting a rule broken in some cases reads.
  const uncertain = rules.filter((rule) => !definite.includes(rule));
  const open = SETTINGS.filter((key) =>
    uncertain.some((rule) => RULE_READS[rule as ViolationRule].includes(key)),
  );
  for (const key of open) {
    const setting = cluster[key];
    const at = uncertain.filter((rule) => RULE_READS[rule as ViolationRule].includes(key)).join(', ');
    if (setting.state === 'invalid') {
      findings.push({
        rule: 'invalid-value',
        setting: key,
        message: `${settingPhrase(cluster, key)} is ${setting.written}: ${setting.why}; the service would refuse it, and the policy's ${at} cannot be checked`,
      });
    } else if (setting.state === 'unknown') {
      findings.push({
        rule: 'unknown-until-deploy',
        setting: key,
        message: `${settingPhrase(cluster, key)} is ${setting.expression}: its value is known only at deploy, and the policy's ${at} depends on it`,
      });
    }
  }

  const exemption = effective.exemption;
  const known = cases.length === 1 ? cases[0] : undefined;
  const violating = cases.find((_, i) => (broken[i]?.length ?? 0) > 0);
  // As in the guard, an exemption matters only to a cluster that breaks a rule.
  const status =
    exemption && findings.length > 0
      ? 'exempt'
      : definite.length > 0
        ? 'non-compliant'
        : findings.length > 0
          ? 'unknown'
          : 'compliant';
  return {
    status,
    findings,
    effective,
    ...(exemption && findings.length > 0 ? { exemption } : {}),
    ...(known ? { config: known } : {}),
    ...(violating && status !== 'compliant' ? { target: planTarget(violating, effective) } : {}),
  };
}

/** Every endpoint configuration the written settings allow; one when all are known before deploy. */
function completions(cluster: IacCluster, effective: EffectivePolicy): EndpointConfig[] {
  const publics = valuesOf(cluster.publicAccess, true, [true, false]);
  const privates = valuesOf(cluster.privateAccess, false, [true, false]);
  const allowed = effective.allowedPublicCidrs.length > 0 ? [effective.allowedPublicCidrs] : [];
  const cidrLists = valuesOf(
    cluster.publicAccessCidrs,
    [...EKS_DEFAULT_PUBLIC_CIDRS],
    [...allowed, ['0.0.0.0/0'], ['::/0']],
  );
  const cases: EndpointConfig[] = [];
  for (const publicAccess of publics) {
    for (const privateAccess of privates) {
      for (const publicAccessCidrs of cidrLists) {
        cases.push({ publicAccess, privateAccess, publicAccessCidrs: [...publicAccessCidrs] });
      }
    }
  }
  return cases;
}

function valuesOf<T>(setting: Setting<T>, fallback: T, anything: T[]): T[] {
  switch (setting.state) {
    case 'set':
      return [setting.value];
    case 'absent':
      return [fallback];
    case 'unknown':
      return setting.candidates && setting.candidates.length > 0 ? dedupe(setting.candidates) : anything;
    case 'invalid':
      return anything;
  }
}

function dedupe<T>(values: T[]): T[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = JSON.stringify(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `; EndpointPublicAccess is parameter Public's default` when a rule's settings came from parameters. */
function viaOf(cluster: IacCluster, rule: ViolationRule): string {
  const notes = RULE_READS[rule].flatMap((key) => {
    const setting = cluster[key];
    if (setting.state === 'absent')
      return [`${settingPhrase(cluster, key)} is not set, so the EKS default applies`];
    if (setting.state === 'set' && setting.via) return [`${settingPhrase(cluster, key)} is ${setting.via}`];
    return [];
  });
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}
