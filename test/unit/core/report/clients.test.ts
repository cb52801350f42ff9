import type { ActiveClient, ClientsCutOff } from '../../../../functions/core/clients/types';
import {
  clientsCutOffIn,
  cutOffHtml,
  cutOffMarkdown,
  cutOffText,
} from '../../../../functions/core/report/clients';
import { renderMarkdown } from '../../../../functions/core/report/render';
import { renderHtml } from '../../../../functions/core/report/render-html';
import { buildReport } from '../../../../functions/core/report/summary';
import type { CheckResult } from '../../../../functions/core/result';

/** The report's account of whom the period's changes cut off. */
const SINCE = new Date('2026-11-01T00:00:00Z');
const UNTIL = new Date('2026-12-01T00:00:00Z');
const WINDOW = { since: '2026-11-09T10:00:00.000Z', until: '2026-11-10T10:00:00.000Z' };
const ARGO_CLIENT: ActiveClient = {
  ip: '198.51.100.23',
  users: ['system:serviceaccount:argocd:controller'],
  userAgents: ['argocd/v2.13.1'],
  requests: 1284,
  lastSeen: '2026-11-10T09:58:00.000Z',
};
const ARGO: ClientsCutOff = { clients: [ARGO_CLIENT], seen: 3, ...WINDOW };

function record(overrides: Partial<CheckResult>): CheckResult {
  return {
    cluster: 'prod-api',
    region: 'us-east-1',
    account: '111122223333',
    outcome: 'remediated',
    reason: 'x',
    time: '2026-11-10T10:00:00.000Z',
    correlationId: 'c',
    trigger: { source: 'event' },
    attempt: 0,
    ...overrides,
  };
}

describe('clientsCutOffIn', () => {
  it('every remediation of the period with its clients, the latest deferral or finding per cluster, nothing else', () => {
    // Prepare
    const records = [
      record({ clientsCutOff: ARGO }),
      record({
        time: '2026-11-12T10:00:00.000Z',
        clientsCutOff: { clients: 'unknown', why: 'the audit log is off', ...WINDOW },
      }),
      record({
        outcome: 'would-remediate',
        cluster: 'dev',
        time: '2026-11-11T10:00:00.000Z',
        clientsCutOff: { clients: [], seen: 1, ...WINDOW },
      }),
      record({
        outcome: 'would-remediate',
        cluster: 'dev',
        time: '2026-11-11T11:00:00.000Z',
        clientsCutOff: ARGO,
      }),
      record({
        outcome: 'remediated',
        cluster: 'old',
        time: '2026-10-01T00:00:00.000Z',
        clientsCutOff: ARGO,
      }),
      record({ outcome: 'compliant', cluster: 'quiet', clientsCutOff: ARGO }),
      record({ cluster: 'unlooked' }),
    ];

    // Act
    const entries = clientsCutOffIn(records, SINCE, UNTIL, {});

    // Assess
    expect(entries.map((e) => [e.cluster, e.time.slice(0, 13), e.outcome, cutOffText(e)])).toEqual([
      [
        'prod-api',
        '2026-11-10T10',
        'remediated',
        '198.51.100.23 (1,284 requests; system:serviceaccount:argocd:controller)',
      ],
      [
        'dev',
        '2026-11-11T11',
        'would-remediate',
        '198.51.100.23 (1,284 requests; system:serviceaccount:argocd:controller)',
      ],
      ['prod-api', '2026-11-12T10', 'remediated', 'unknown: the audit log is off'],
    ]);
  });

  it('follows the report’s cluster and account filters', () => {
    // Prepare
    const records = [
      record({ clientsCutOff: ARGO }),
      record({ cluster: 'dev', account: '444455556666', clientsCutOff: ARGO }),
    ];

    // Act
    const byCluster = clientsCutOffIn(records, SINCE, UNTIL, { cluster: 'd*' });
    const byAccount = clientsCutOffIn(records, SINCE, UNTIL, { account: '111122223333' });

    // Assess
    expect(byCluster.map((e) => e.cluster)).toEqual(['dev']);
    expect(byAccount.map((e) => e.cluster)).toEqual(['prod-api']);
  });

  it('says "none", counts the clients beyond those listed and whether the change waited for them', () => {
    // Assess
    expect(cutOffText({ cluster: 'c', region: 'r', time: 't', outcome: 'deferred', clients: [] })).toBe(
      'none',
    );
    const [waited] = clientsCutOffIn(
      [record({ clientsCutOff: { ...ARGO, more: 2, deferred: true } })],
      SINCE,
      UNTIL,
      {},
    );
    expect(waited && cutOffText(waited)).toBe(
      '198.51.100.23 (1,284 requests; system:serviceaccount:argocd:controller) and 2 more (the change waited for them)',
    );
  });
});

describe('in the report', () => {
  const built = buildReport({
    period: { since: SINCE, until: UNTIL },
    now: new Date('2026-12-01T08:00:00Z'),
    region: 'us-east-1',
    records: [
      record({
        clientsCutOff: {
          ...ARGO,
          clients: [{ ...ARGO_CLIENT, users: ['<script>alert(1)</script>'] }],
        },
      }),
    ],
    sweeps: [],
    markers: [],
    sweepIntervalSeconds: 3600,
  });

  it('the JSON form carries them', () => {
    // Assess
    expect(built.clientsCutOff).toHaveLength(1);
  });

  it('Markdown and HTML have a section, escaped; an empty list has none', () => {
    // Act
    const markdown = renderMarkdown(built);
    const html = renderHtml(built);

    // Assess
    expect(markdown).toContain('## API clients cut off');
    expect(markdown).toContain(
      '| prod-api | 2026-11-10 10:00Z | remediated | 198.51.100.23 \\(1,284 requests; \\<script\\>alert\\(1\\)\\</script\\>\\) |',
    );
    expect(html).toContain('<h2>API clients cut off</h2>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert');
    expect([cutOffMarkdown([]), cutOffHtml([])]).toEqual([[], '']);
  });
});
