import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { EndpointGuardStack } from '../../infra/stack';
import { newApp, WITH_CHANNELS, WITH_EXISTING_TOPIC } from './helpers';

interface Finding {
  rule: string;
  path: string;
}

/** The defaults and every optional resource (trail buckets, subscriptions) in one app. */
function buildApp(): App {
  const app = newApp();
  new EndpointGuardStack(app, 'Defaults');
  new EndpointGuardStack(app, 'Everything', {
    createTrail: true,
    notificationEmails: ['ops@example.com'],
    reservedConcurrency: 10,
  });
  // The alert options (DESIGN §10): chat channels, a webhook, Security Hub; and an existing topic.
  new EndpointGuardStack(app, 'Channels', WITH_CHANNELS);
  new EndpointGuardStack(app, 'CentralTopic', WITH_EXISTING_TOPIC);
  // The audit-log look-up by scan, and none at all.
  new EndpointGuardStack(app, 'ScanClients', { activeClients: { strategy: 'scan', windowHours: 6 } });
  new EndpointGuardStack(app, 'NoClients', { activeClients: { strategy: 'off' } });
  app.synth();
  return app;
}

function findings(app: App): Finding[] {
  return [new AwsSolutionsChecks(app), new ServerlessChecks(app)].flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.flatMap((v) =>
        v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' })),
      ),
  );
}

function acknowledgements(scope: IConstruct): (Finding & { reason: string })[] {
  const own = scope.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) =>
      Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
        rule: id.replace(/^annotation::/i, ''),
        path: scope.node.path,
        reason,
      })),
    );
  return [...own, ...scope.node.children.flatMap(acknowledgements)];
}

let app: App;
let unacknowledged: App;

beforeAll(() => {
  // Prepare: the same app twice, the second with every acknowledgement dropped.
  app = buildApp();
  const ignore = jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
  try {
    // Act
    unacknowledged = buildApp();
  } finally {
    ignore.mockRestore();
  }
});

describe('cdk-nag', () => {
  test('AwsSolutions and Serverless report no unacknowledged finding', () => {
    // Prepare
    const packs = [new AwsSolutionsChecks(app), new ServerlessChecks(app)];
    // Act
    const reports = packs.map((pack) => pack.validateScope(app));
    // Assess
    expect(reports.flatMap((report) => report.violations)).toEqual([]);
    expect(reports.every((report) => report.success)).toBe(true);
  });

  test('every acknowledgement gives a specific reason', () => {
    // Prepare
    const acks = acknowledgements(app);
    // Act
    const short = acks.filter((ack) => ack.reason.trim().length < 20);
    // Assess
    expect(acks.length).toBeGreaterThan(0);
    expect(short).toEqual([]);
  });

  test('every acknowledgement silences a finding that exists without it', () => {
    // Prepare
    const raw = findings(unacknowledged);
    // Act
    const unused = acknowledgements(app).filter(
      (ack) =>
        !raw.some((f) => f.rule === ack.rule && (f.path === ack.path || f.path.startsWith(`${ack.path}/`))),
    );
    // Assess
    expect(raw.length).toBeGreaterThan(0);
    expect(unused).toEqual([]);
  });
});
