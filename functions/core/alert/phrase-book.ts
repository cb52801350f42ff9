import type { EndpointConfig } from '../endpoint';
import type { Lockout } from '../lockout';
import type { Outcome, Severity } from '../outcome';
import type { AccessEffect, Action, AlertFacts, AlertRule, Headline, TriggerFacts } from './fact-types';

/**
 * The sentences of an alert in one language, from the facts alone. Values that came from outside
 * the guard are passed through `value`, so that each form can mark them its own way (a code span
 * in chat, 「…」 in Japanese text, as they are in English text).
 */
export type Language = 'en' | 'ja';
export const LANGUAGES: readonly Language[] = ['en', 'ja'];

export interface Phrases {
  language: Language;
  /** What happened, in a few words, for subjects and titles (the cluster name included). */
  headline(headline: Headline, cluster: string): string;
  /** The opening sentences. */
  happened(facts: AlertFacts, value: (text: string) => string): string[];
  access(effect: AccessEffect, mood: AlertFacts['mood']): string;
  /** What to do, one or more sentences; `lockout` (the facts') words a fix the action only has as English text. */
  action(action: Action, value: (text: string) => string, lockout?: Lockout): string[];
  rule(rule: AlertRule): string;
  outcome(outcome: Outcome): string;
  severity(severity: Severity): string;
  foundBy(source: TriggerFacts['source']): string;
  config(config: EndpointConfig): string;
  labels: Labels;
}

export interface Labels {
  cluster: string;
  arn: string;
  account: string;
  region: string;
  outcome: string;
  decidedAt: string;
  whoChanged: string;
  howFound: string;
  foundBy: string;
  event: string;
  actor: string;
  theGuard: string;
  sourceIp: string;
  userAgent: string;
  time: string;
  attempt: (n: number) => string;
  endpointAccess: string;
  before: string;
  after: string;
  target: string;
  compliantTarget: string;
  rulesBroken: string;
  rulesResolved: string;
  rules: string;
  /** `version`: the SSM parameter's version, when known (never the schema version). */
  policy: (source: string, version: number | undefined, mode: string) => string;
  digest: string;
  whatItMeans: string;
  whatToDo: string;
  update: string;
  updateId: string;
  status: string;
  updateErrors: string;
  links: string;
  consoleLink: string;
  cloudTrailLink: string;
  correlationId: string;
  detail: string;
}
