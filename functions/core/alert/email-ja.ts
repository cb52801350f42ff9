import { clientsLines } from './clients';
import type { AlertFacts } from './fact-types';
import { clip, safeLine } from './forms';
import { PHRASES } from './phrases';

/**
 * The e-mail in Japanese, in the terms of the AWS Japanese documentation (クラスター, エンドポイント,
 * パブリックアクセス, プライベートアクセス, …). Values that came from outside the guard (error
 * messages, tag values, user agents) are quoted 「…」 as they are, never translated.
 */
const PREFIX = '[eks-endpoint-guard]';
/** SNS wants subjects under 100 characters, on one line (UTF-8 is allowed). */
const MAX_SUBJECT = 99;
const say = PHRASES.ja;
const l = say.labels;

export interface Email {
  subject: string;
  text: string;
}

export function renderEmailJa(facts: AlertFacts): Email {
  return { subject: subjectJa(facts), text: bodyJa(facts) };
}

export function subjectJa(facts: AlertFacts): string {
  return clip(safeLine(`${PREFIX} ${say.headline(facts.headline, facts.cluster)}`), MAX_SUBJECT);
}

/** An outside value, quoted so that a reader (and the tests) can tell it from the guard's own words. */
const value = (text: string) => `「${text}」`;

function bodyJa(f: AlertFacts): string {
  const sections = [
    say.happened(f, value),
    labelled([
      [l.cluster, f.cluster],
      [l.arn, f.clusterArn],
      [l.account, f.account],
      [l.region, f.region],
      [
        l.outcome,
        `${say.outcome(f.status === 'resolved' ? 'compliant' : f.outcome)} (${say.severity(f.severity)})`,
      ],
      [l.decidedAt, f.time],
    ]),
    triggerLines(f),
    configLines(f),
    ruleLines(f),
    section(
      l.whatItMeans,
      f.access.map((e) => say.access(e, f.mood)),
    ),
    clientsSectionJa(f),
    section(
      l.whatToDo,
      f.actions.flatMap((a) => say.action(a, value)),
    ),
    updateLines(f),
    section(
      l.links,
      labelled([
        [l.consoleLink, f.links.console],
        [l.cloudTrailLink, f.links.cloudTrailEvent],
      ]),
    ),
    [`${l.correlationId}: ${f.correlationId}`],
  ];
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}

function clientsSectionJa(f: AlertFacts): string[] {
  if (!f.clientsCutOff) return [];
  const { title, lines } = clientsLines(f.clientsCutOff, 'ja', value);
  return section(title, lines);
}

function triggerLines(f: AlertFacts): string[] {
  const t = f.trigger;
  const known = t.actorArn || t.sourceIp || t.userAgent || t.eventName;
  const lines = labelled([
    [l.foundBy, say.foundBy(t.source)],
    [l.event, t.eventName && `${t.eventName}${t.eventId ? ` (イベント ID ${t.eventId})` : ''}`],
    [l.actor, t.actorArn && `${t.actorArn}${t.byGuard ? ` ${l.theGuard}` : ''}`],
    [l.sourceIp, t.sourceIp],
    [l.userAgent, t.userAgent && value(t.userAgent)],
    [l.time, t.eventTime],
    ['試行', f.attempt > 0 ? l.attempt(f.attempt) : undefined],
  ]);
  return section(known ? l.whoChanged : l.howFound, lines);
}

function configLines(f: AlertFacts): string[] {
  if (!f.before && !f.after) return [];
  const afterLabel =
    f.outcome === 'remediated' ? l.after : f.outcome === 'failed' ? l.target : l.compliantTarget;
  return section(
    l.endpointAccess,
    labelled([
      [l.before, f.before && say.config(f.before)],
      [afterLabel, f.status === 'open' ? f.after && say.config(f.after) : undefined],
    ]),
  );
}

function ruleLines(f: AlertFacts): string[] {
  const rules = f.rules.filter((r) => r !== 'check');
  const lines = rules.map((rule) => {
    const offending = f.violations.find((v) => v.rule === rule)?.offendingCidrs;
    return `- ${say.rule(rule)} [${rule}]${offending?.length ? ` (許可されていない CIDR ブロック: ${offending.join(', ')})` : ''}`;
  });
  const policy = f.policy
    ? labelled([
        [l.rules, value(f.policy.rule)],
        ['ポリシー', l.policy(f.policy.source, f.policy.version, f.policy.mode)],
        [l.digest, f.policy.digest],
      ])
    : [];
  if (lines.length === 0 && policy.length === 0) return [];
  const title = lines.length === 0 ? 'ポリシー' : f.status === 'resolved' ? l.rulesResolved : l.rulesBroken;
  return [title, ...indent([...lines, ...policy])];
}

function updateLines(f: AlertFacts): string[] {
  if (!f.update) return [];
  const errors = f.update.errors.map((e) => `  - ${e.code}: ${value(e.message)}`);
  return [
    l.update,
    ...indent(
      labelled([
        [l.updateId, f.update.id],
        [l.status, f.update.status],
      ]),
    ),
    ...(errors.length ? [`  ${l.updateErrors}:`, ...errors] : []),
  ];
}

function section(title: string, lines: string[]): string[] {
  return lines.length > 0 ? [title, ...indent(lines)] : [];
}

/** `ラベル: 値` lines, leaving out what is unknown (no padding: Japanese labels have no common width). */
function labelled(rows: [string, string | undefined | false][]): string[] {
  return rows
    .filter((row): row is [string, string] => typeof row[1] === 'string' && row[1] !== '')
    .map(([label, text]) => `${label}: ${text}`);
}

function indent(lines: string[]): string[] {
  return lines.map((line) => `  ${line}`);
}
