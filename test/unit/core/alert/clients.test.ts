import { alertFor } from '../../../../functions/core/alert/alert';
import { renderFindings } from '../../../../functions/core/alert/asff';
import { CHAT_MAX_CLIENTS, renderChat } from '../../../../functions/core/alert/chat';
import { factsFromAlertJson } from '../../../../functions/core/alert/chat-from-json';
import { clientsLines, safeClientsCutOff } from '../../../../functions/core/alert/clients';
import { AlertJsonSchema, renderJson } from '../../../../functions/core/alert/json';
import type { ActiveClient, ClientsCutOff } from '../../../../functions/core/clients/types';
import { UNKNOWN_CAUSES } from '../../../../functions/core/clients/types';
import { CLIENTS_CUT_OFF, SAMPLE_OPTIONS, sample } from '../../../../scripts/alert-samples';
import { HOSTILE, sampleFacts, schemaErrors } from './support';

/** The API clients a decision cuts off, in every alert form (DESIGN §18). */
const WINDOW = { since: '2026-06-02T10:17:41.000Z', until: '2026-06-03T10:17:41.000Z' };
const known = CLIENTS_CUT_OFF as ClientsCutOff;
const client = (i: number): ActiveClient => ({
  ip: `198.51.100.${i}`,
  users: [`user-${i}`],
  userAgents: ['kubectl/v1.33.1'],
  requests: 10 - i,
  lastSeen: '2026-06-03T10:00:00.000Z',
});
const quote = (text: string) => `«${text}»`;

describe('clientsLines', () => {
  it('English: the window and its freshness, then each client with its requests, last time, users and agents', () => {
    // Act
    const { title, lines } = clientsLines(known, 'en', quote);

    // Assess
    expect(title).toBe('API clients the change cuts off');
    expect(lines).toEqual([
      'From the audit log of the last 24 h (2026-06-02T10:17:41.000Z to 2026-06-03T10:17:41.000Z); the newest event read is from 2026-06-03T10:12:40.000Z: the log reaches CloudWatch minutes late, so the newest clients may be missing.',
      '- «198.51.100.23»: 1,284 requests, last seen 2026-06-03T10:12:40.000Z; users «system:serviceaccount:argocd:argocd-application-controller»; user agents «argocd-application-controller/v2.13.1 (linux/amd64)»',
      '- «203.0.113.40»: 17 requests, last seen 2026-06-03T09:58:02.000Z; users «arn:aws:sts::111122223333:assumed-role/Developer/maria»; user agents «kubectl/v1.33.1 (darwin/arm64) kubernetes/8adc0f0»',
    ]);
  });

  it('"unknown" says why and that it is not "nobody", in each language', () => {
    // Prepare
    const unknown: ClientsCutOff = {
      clients: 'unknown',
      cause: 'deadline',
      why: 'the query was still Running after 20 s',
      ...WINDOW,
    };

    // Act
    const en = clientsLines(unknown, 'en', quote).lines;
    const ja = clientsLines(unknown, 'ja', quote).lines;

    // Assess
    expect(en).toEqual([
      'Unknown: the query was still Running after 20 s.',
      '"Unknown" is not "nobody": find out who uses the endpoint before relying on the change.',
    ]);
    expect(ja).toEqual([
      '不明です: 監査ログの読み取りが制限時間内に終わりませんでした。',
      '「不明」は「該当なし」ではありません。変更に頼る前に、エンドポイントの利用者を確認してください。',
    ]);
  });

  it('in Japanese every sentence is the guard’s own Japanese: only outside values stay as they are', () => {
    // Prepare: every cause, a list, a partial read and a deferral
    const cases: ClientsCutOff[] = [
      ...UNKNOWN_CAUSES.map(
        (cause): ClientsCutOff => ({ clients: 'unknown', cause, why: 'English detail', ...WINDOW }),
      ),
      { ...known, partial: 'the scan stopped at its cap after 1.0 MB', deferred: true, more: 2 },
      { clients: [], seen: 4, ...WINDOW },
    ];

    // Act
    const lines = cases.flatMap((cutOff) => clientsLines(cutOff, 'ja', quote).lines);

    // Assess: no English word left once the outside values, times, numbers and field names are taken out
    for (const line of lines) {
      const rest = line
        .replace(/«[^»]*»/g, '')
        .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '')
        .replace(/protectActiveClients "defer"|Logs Insights|CloudWatch|EKS|audit|API/g, '');
      expect(rest).not.toMatch(/[A-Za-z]{3,}/);
    }
  });

  it('nobody cut off among those seen, a lower bound, more clients than listed, a deferral', () => {
    // Act
    const none = clientsLines({ clients: [], seen: 4, ...WINDOW }, 'en', quote).lines;
    const rest = clientsLines(
      { ...known, partial: 'the scan stopped at its cap', more: 3, deferred: true },
      'en',
      quote,
    ).lines;

    // Assess
    expect(none.at(-1)).toBe('None of the 4 clients seen in that window.');
    expect(rest[0]).toMatch(/^The policy protects active clients \(protectActiveClients "defer"\)/);
    expect(rest.slice(-2)).toEqual([
      '… and 3 more clients.',
      'Part of the log was not read (the scan stopped at its cap): the list is a lower bound.',
    ]);
  });

  it('lists fewer clients where there is little room, and counts the rest', () => {
    // Prepare
    const many: ClientsCutOff = {
      clients: Array.from({ length: 8 }, (_, i) => client(i + 1)),
      more: 2,
      ...WINDOW,
    };

    // Act
    const { lines } = clientsLines(many, 'en', quote, CHAT_MAX_CLIENTS);

    // Assess
    expect(lines.filter((l) => l.startsWith('- '))).toHaveLength(5);
    expect(lines.at(-1)).toBe('… and 5 more clients.');
  });
});

describe('safeClientsCutOff', () => {
  it('makes every string from the audit log one safe, bounded line', () => {
    // Prepare
    const hostile: ClientsCutOff = {
      clients: [
        {
          ip: HOSTILE,
          users: [HOSTILE, 'x'.repeat(400)],
          userAgents: [HOSTILE],
          requests: 1,
          lastSeen: HOSTILE,
        },
      ],
      ...WINDOW,
    };

    // Act
    const safe = safeClientsCutOff(hostile);

    // Assess
    const [c] = safe.clients as ActiveClient[];
    for (const text of [c?.ip, ...(c?.users ?? []), ...(c?.userAgents ?? []), c?.lastSeen]) {
      expect(text).not.toMatch(/[\p{Cc}\u2028\u202e]/u);
    }
    expect([...(c?.users[1] ?? '')].length).toBe(256);
  });
});

describe('the alert forms', () => {
  it('alert@2 JSON carries clientsCutOff and validates against docs/alert.schema.json', () => {
    // Prepare
    const facts = sampleFacts('remediated');

    // Act
    const json = renderJson(facts);

    // Assess
    expect(json.clientsCutOff).toMatchObject({
      clients: [{ ip: '198.51.100.23' }, { ip: '203.0.113.40' }],
      seen: 5,
    });
    expect(schemaErrors(json)).toEqual([]);
    expect(
      schemaErrors({ ...json, clientsCutOff: { ...json.clientsCutOff, clients: 'nobody' } }),
    ).not.toEqual([]);
  });

  it('the e-mail in English and Japanese has the section; a resolved alert has none', () => {
    // Act
    const en = alertFor(sample({ clientsCutOff: known }), { ...SAMPLE_OPTIONS, language: 'en' });
    const ja = alertFor(sample({ clientsCutOff: known }), { ...SAMPLE_OPTIONS, language: 'ja' });
    const resolved = sampleFacts('resolved', { clientsCutOff: known });

    // Assess
    expect(en?.text).toContain('API clients the change cuts off\n  From the audit log of the last 24 h');
    expect(ja?.text).toContain('変更によりアクセスできなくなる API クライアント\n  直近 24 時間の監査ログ');
    expect(ja?.text).toContain('- 「198.51.100.23」: リクエスト 1284 件');
    expect(resolved.clientsCutOff).toBeUndefined();
  });

  it('chat names the clients as code spans, escaped', () => {
    // Prepare
    const facts = sampleFacts('remediated', {
      clientsCutOff: { ...known, clients: [{ ...client(1), users: ['<!channel> *x*'] }] },
    });

    // Act
    const description = renderChat(facts).content.description;

    // Assess
    expect(description).toContain('*API clients the change cuts off*');
    expect(description).toContain('• `198.51.100.1`: 9 requests');
    expect(description).toContain('`‹!channel› *x*`');
  });

  it('the Security Hub finding carries them in a product field', () => {
    // Act
    const [finding] = renderFindings(sampleFacts('remediated'));
    const [unknown] = renderFindings(sampleFacts('would-remediate'));

    // Assess
    expect(finding?.ProductFields?.['eks-endpoint-guard/clientsCutOff']).toBe(
      '198.51.100.23 (1284 requests, last 2026-06-03T10:12:40.000Z), 203.0.113.40 (17 requests, last 2026-06-03T09:58:02.000Z) (audit log 2026-06-02T10:17:41.000Z to 2026-06-03T10:17:41.000Z)',
    );
    expect(unknown?.ProductFields?.['eks-endpoint-guard/clientsCutOff']).toMatch(
      /^unknown: the cluster's control-plane audit log is off/,
    );
  });

  it('the central account reads them back from a member’s alert@2 JSON, made safe again', () => {
    // Prepare
    const json = renderJson(sampleFacts('remediated'));
    const forged = {
      ...json,
      clientsCutOff: { ...json.clientsCutOff, clients: [{ ...client(7), users: [HOSTILE] }] },
    };

    // Act
    const facts = factsFromAlertJson(AlertJsonSchema.parse(forged), {
      account: '111122223333',
      region: 'eu-west-1',
    });

    // Assess
    const [c] = (facts.clientsCutOff?.clients ?? []) as ActiveClient[];
    expect(c?.ip).toBe('198.51.100.7');
    expect(c?.users[0]).not.toMatch(/[\p{Cc}\u2028\u202e]/u);
    expect(facts.clientsCutOff).toMatchObject({ since: WINDOW.since, seen: 5 });
  });
});
