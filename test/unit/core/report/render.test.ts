import { timelineSvg } from '../../../../functions/core/report/html-charts';
import { csv, renderCsv, renderJson, renderMarkdown } from '../../../../functions/core/report/render';
import { renderHtml } from '../../../../functions/core/report/render-html';
import { buildReport } from '../../../../functions/core/report/summary';
import { duration, escapeHtml, escapeMarkdown } from '../../../../functions/core/report/text';
import { history } from './history';

const HOSTILE_ACTOR = 'arn:aws:sts::111122223333:assumed-role/<b>x</b>/=HYPERLINK("http://evil","x")';
const HOSTILE_REASON = '"><script>alert(1)</script>|*x*';

function sample() {
  const records = [
    ...history(
      [
        [{ kind: 'event-violation', lagSeconds: 60, actor: HOSTILE_ACTOR }, '2026-11-03T10:01:00Z'],
        [{ kind: 'success' }, '2026-11-03T10:08:00Z'],
      ],
      'prod-api',
    ),
    ...history([[{ kind: 'blocked' }, '2026-11-25T09:00:00Z']], 'edge-proxy'),
    ...history([[{ kind: 'exempt' }, '2026-11-10T09:00:00Z']], 'legacy-batch').map((r) => ({
      ...r,
      exemption: { source: 'tag' as const, reason: HOSTILE_REASON },
    })),
  ];
  return buildReport({
    period: { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') },
    now: new Date('2026-12-01T08:00:00Z'),
    region: 'us-east-1',
    records,
    sweeps: [],
    markers: [],
    sweepIntervalSeconds: 3600,
  });
}

describe('html', () => {
  it('escapes every interpolated string and loads nothing from outside', () => {
    // Act
    const page = renderHtml(sample());

    // Assess
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<b>x</b>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(page).not.toMatch(/\b(src|href)=|url\(|@import/i);
    expect(page).toContain("default-src 'none'");
    expect(page).toContain('@media print');
  });

  it('draws one bar per window, open windows marked', () => {
    // Act
    const svg = timelineSvg(sample());

    // Assess
    expect(svg.match(/<rect class="bar/g)).toHaveLength(2);
    expect(svg.match(/<rect class="bar open"/g)).toHaveLength(1);
    expect(svg).toContain('data-cluster="edge-proxy"');
  });

  it('says so when nothing was exposed', () => {
    // Act
    const svg = timelineSvg(buildReport({ ...emptyInput() }));

    // Assess
    expect(svg).toContain('No exposure in the period.');
    expect(svg).not.toContain('class="bar');
  });
});

function emptyInput() {
  return {
    period: { since: new Date('2026-11-30T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') },
    now: new Date('2026-12-01T08:00:00Z'),
    region: 'us-east-1',
    records: [],
    sweeps: [],
    markers: [],
    sweepIntervalSeconds: 3600,
  };
}

describe('csv', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
  ])('neutralises %j as %j', (value, expected) => {
    // Act
    const line = csv([[value]]);

    // Assess
    expect(line).toBe(`${expected}\r\n`);
  });

  it('writes one row per window with a header, formulas neutralised', () => {
    // Act
    const text = renderCsv(sample());

    // Assess
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      'cluster,region,account,start,startSource,firstSeen,end,closedBy,exposedSeconds,timeToRemediateSeconds,actor,actorSource,eventName,eventId,lastOutcome,violations,updateId,fix,policyDigest,policyParameterVersion,beforeCoverage,clusterCreatedAt,clientsCutOff',
    );
    expect(lines).toHaveLength(4);
    expect(text).not.toMatch(/,=HYPERLINK/);
    expect(lines.find((l) => l.startsWith('legacy-batch'))).toMatch(
      /^legacy-batch,us-east-1,111122223333,(,)+0,/,
    );
  });
});

describe('markdown and json', () => {
  it('escapes what Markdown would read as markup', () => {
    // Act
    const md = renderMarkdown(sample());

    // Assess
    expect(md).toContain('\\<script\\>');
    expect(md).toContain('\\|\\*x\\*');
    expect(md).toMatch(/^# EKS endpoint exposure report$/m);
    expect(escapeMarkdown('a\nb|c')).toBe('a b\\|c');
  });

  it('prints the report object as documented', () => {
    // Act
    const json = JSON.parse(renderJson(sample()));

    // Assess
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['period', 'clusters', 'sweeps']));
    expect(json.clusters[0]).toEqual(
      expect.objectContaining({
        cluster: expect.any(String),
        region: 'us-east-1',
        exposedSeconds: expect.any(Number),
      }),
    );
    expect(json.clusters[0].windows[0]).toEqual(expect.objectContaining({ start: expect.any(String) }));
  });
});

describe('text helpers', () => {
  it('formats durations and escapes html', () => {
    // Assess
    expect([duration(undefined), duration(12), duration(245), duration(3720), duration(90_000)]).toEqual([
      '-',
      '12 s',
      '4 min 05 s',
      '1 h 02 min',
      '1 d 1 h',
    ]);
    expect(escapeHtml(`<a href='x'>&"`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&quot;');
  });
});
