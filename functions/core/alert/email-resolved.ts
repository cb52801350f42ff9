import { forEmail, forSubject } from '../escape';
import type { AlertFacts } from './fact-types';
import { clip } from './forms';
import { PHRASES } from './phrases';

/**
 * The English e-mail of a `resolved` alert: a cluster alerted before is compliant again. The
 * other English e-mails come from the decision itself (subject.ts, body.ts); a resolution has
 * only its facts.
 */
const MAX_SUBJECT = 99;

export function renderResolvedEmailEn(facts: AlertFacts): { subject: string; text: string } {
  const say = PHRASES.en;
  const l = say.labels;
  const subject = clip(
    forSubject(`[eks-endpoint-guard] ${say.headline(facts.headline, facts.cluster)}`),
    MAX_SUBJECT,
  );
  const rows: [string, string | undefined][] = [
    [l.cluster, facts.cluster],
    [l.arn, facts.clusterArn],
    [l.account, facts.account],
    [l.region, facts.region],
    [l.decidedAt, facts.time],
    [l.before, facts.before && say.config(facts.before)],
  ];
  const rules = facts.rules
    .filter((rule) => rule !== 'check')
    .map((rule) => `  - ${say.rule(rule)} [${rule}]`);
  const links: [string, string | undefined][] = [
    [l.consoleLink, facts.links.console],
    [l.cloudTrailLink, facts.links.cloudTrailEvent],
  ];
  const sections = [
    say.happened(facts, (text) => text),
    labelled(rows),
    rules.length > 0 ? [l.rulesResolved, ...rules] : [],
    labelled(links),
    [`${l.correlationId}: ${facts.correlationId}`],
  ];
  return {
    subject,
    text: `${sections
      .filter((lines) => lines.length > 0)
      .map((lines) => lines.map((line) => forEmail(line, 600)).join('\n'))
      .join('\n\n')}\n`,
  };
}

function labelled(rows: [string, string | undefined][]): string[] {
  const known = rows.filter((row): row is [string, string] => typeof row[1] === 'string' && row[1] !== '');
  const width = Math.max(0, ...known.map(([label]) => label.length)) + 2;
  return known.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`);
}
