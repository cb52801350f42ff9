import {
  type CostReport,
  costReport,
  customMetrics,
  DIGEST_RUN,
  digestCost,
  fixedCost,
  PRICES,
  renderMarkdown,
  runsPerMonth,
  synthesizeTemplates,
  type Templates,
  total,
} from '../../../scripts/cost';

let templates: Templates;
let report: CostReport;

beforeAll(() => {
  // Prepare / Act: the real templates, synthesised as `npm run cost` does
  templates = synthesizeTemplates();
  report = costReport(templates);
}, 60_000);

const quantity = (lines: { item: string; quantity: number }[], prefix: string) =>
  lines.find((l) => l.item.startsWith(prefix))?.quantity;

describe('npm run cost', () => {
  test('counts the fixed charges from the single-account template', () => {
    // Act
    const lines = fixedCost(templates.single);
    // Assess
    expect(quantity(lines, 'KMS')).toBe(
      Object.values(templates.single).filter((r) => r.Type === 'AWS::KMS::Key').length,
    );
    expect(quantity(lines, 'CloudWatch alarm')).toBe(
      Object.values(templates.single).filter((r) => r.Type === 'AWS::CloudWatch::Alarm').length,
    );
    expect(quantity(lines, 'CloudWatch dashboards')).toBe(1);
    expect(quantity(lines, 'SQS idle')).toBe(648_000);
  });

  test('finds the custom metrics the alarms and the dashboard name', () => {
    // Act
    const metrics = customMetrics(templates.single);
    // Assess
    expect(metrics).toContain('EksEndpointGuard/Decisions{outcome="failed",service="eks-endpoint-guard"}');
    expect(metrics).toContain('EksEndpointGuard/AlertFailures{service="eks-endpoint-guard"}');
    expect(metrics.every((m) => m.startsWith('EksEndpointGuard'))).toBe(true);
  });

  test('a single account-region costs far more than $1 a month; the real member template (organisation mode) under $1 fixed', () => {
    // Assess
    expect(report.perMemberRegion.single).toBeGreaterThan(5);
    expect(report.fixedPerMemberRegion.member).toBeLessThan(1);
    expect(total(fixedCost(templates.member))).toBe(report.fixedPerMemberRegion.member);
    expect(report.perMemberRegion.member).toBeLessThan(1);
    const types = new Set(Object.values(templates.member).map((r) => r.Type));
    for (const type of ['AWS::CloudWatch::Dashboard', 'AWS::CloudWatch::Alarm', 'AWS::KMS::Key'])
      expect(types.has(type)).toBe(false);
    expect(customMetrics(templates.member)).toEqual([]);
  });

  // Issue 19, finding 9: the proof of queued records is chosen by what it costs a member.
  test('shows the proof of queued records chosen (SQS) against a KMS HMAC key, which would break $1 a month', () => {
    // Act
    const text = renderMarkdown(report);
    // Assess
    expect(report.queueProof.chosen).toBe('sqs');
    expect(report.queueProof.sqs).toBeLessThan(0.01);
    expect(report.queueProof.kmsHmac).toBeGreaterThanOrEqual(1);
    expect(report.fixedPerMemberRegion.member + report.queueProof.kmsHmac).toBeGreaterThan(1);
    expect(quantity(report.lines.member, 'SQS ChangeMessageVisibility')).toBe(200);
    expect(text).toMatch(
      /Proof of queued records \(200 a month per account-region\): SQS ChangeMessageVisibility \$0\.0001 \(chosen\); a KMS HMAC key instead \$1\.00/,
    );
  });

  test('the organisation total is 800 members plus one central account', () => {
    // Assess
    expect(report.organisation.members).toBe(800);
    expect(report.organisation.membersUsd).toBeCloseTo(800 * total(report.lines.member), 6);
    expect(report.organisation.centralUsd).toBeCloseTo(total(report.lines.central), 6);
    expect(quantity(report.lines.central, 'SSM advanced')).toBe(1);
  });

  test('the central usage grows with the members, its fixed part does not', () => {
    // Act
    const one = costReport(templates, 1, 1);
    // Assess
    expect(one.organisation.centralUsd).toBeLessThan(report.organisation.centralUsd);
    expect(total(fixedCost(templates.central))).toBeCloseTo(
      total(one.lines.central.filter((l) => !/Recorder|DynamoDB|Watchdog/.test(l.item))),
      6,
    );
  });

  test('renders the README table', () => {
    // Act
    const markdown = renderMarkdown(report);
    // Assess
    expect(markdown).toContain('| item | single account | StackSet member (organisation mode) |');
    expect(markdown).toMatch(/\| \*\*per account-region\*\* \| \*\*\$\d+\.\d\d\*\* /);
    expect(markdown).toContain('Organisation of 200 accounts × 4 regions');
  });
});

describe('npm run cost: the digests that seal the audit records', () => {
  test("are a fixed charge of every member, counted from the bucket's retention and the sweep schedule", () => {
    // Act
    const lines = digestCost(templates.member);
    // Assess: one put per hourly sweep, a year of digests kept
    expect(lines.map((l) => l.item)).toEqual([
      'Digest puts (one per sweep)',
      'Digest storage, GB (365 days locked)',
      'Digest table reads and writes',
      'Digest Lambda GB-seconds',
    ]);
    expect(quantity(lines, 'Digest puts')).toBe(720);
    expect(quantity(lines, 'Digest storage')).toBeCloseTo((720 * (365 / 30) * DIGEST_RUN.bytes) / 1e9, 9);
    expect(lines[0]?.usd).toBeCloseTo(720 * PRICES.s3PutRequest.usd, 9);
    expect(fixedCost(templates.member).map((l) => l.item)).toEqual(
      expect.arrayContaining(lines.map((l) => l.item)),
    );
    expect(digestCost(templates.central)).toEqual([]);
    // docs/evidence.md: "well under a cent a month together"
    expect(total(lines)).toBeLessThan(0.01);
    expect(report.fixedPerMemberRegion.member).toBeLessThan(1);
  });

  test('counts the runs of a rate schedule', () => {
    // Assess
    expect([
      runsPerMonth('rate(1 hour)'),
      runsPerMonth('rate(30 minutes)'),
      runsPerMonth('rate(1 day)'),
    ]).toEqual([720, 1440, 30]);
  });
});
