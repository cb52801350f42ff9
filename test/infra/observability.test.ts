import { Template } from 'aws-cdk-lib/assertions';
import { EndpointGuardStack } from '../../infra/stack';
import { logicalId, newApp, show } from './helpers';

// The audit table's key schema, indexes and TTL attribute are asserted in stack.test.ts.

/** The stack with every default, synthesised once for the whole file. */
let template: Template;
/** The dashboard body with every intrinsic rendered as `${LogicalId}` / `${LogicalId.Attr}`. */
let body: { start: string; widgets: Widget[] };
const id = (type: string, prefix: string) => logicalId(template, type, prefix);

// biome-ignore lint/suspicious/noExplicitAny: CloudWatch dashboard JSON
type Widget = { type: string; properties: any };
/** A dashboard metric: namespace, name, dimension name/value pairs, then the rendering options. */
type MetricLine = (string | { [key: string]: string | number })[];
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
type Resource = { Properties: any };

const NAMESPACE = 'EksEndpointGuard';
const SERVICE = 'eks-endpoint-guard';
const OUTCOME_WORDS = [
  'compliant',
  'remediated',
  'would-remediate',
  'deferred',
  'exempt',
  'blocked',
  'ignored',
  'failed',
];

function widget(title: string): Widget {
  const found = body.widgets.filter((w) => w.properties.title === title);
  if (found.length !== 1) throw new Error(`expected one widget titled "${title}", found ${found.length}`);
  return found[0] as Widget;
}

const metricsOf = (title: string): MetricLine[] => widget(title).properties.metrics;
const ref = (type: string, prefix: string) => `\${${id(type, prefix)}}`;
const queueName = (prefix: string) => `\${${id('AWS::SQS::Queue', prefix)}.QueueName}`;

beforeAll(() => {
  // Prepare
  const app = newApp();
  const stack = new EndpointGuardStack(app, 'Guard');
  // Act
  template = Template.fromStack(stack);
  const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0] as Resource;
  body = JSON.parse(show(dashboard.Properties.DashboardBody));
});

describe('dashboard', () => {
  test('is one dashboard named after the region, shown for the last 7 days and exported', () => {
    // Prepare
    const dashboardId = id('AWS::CloudWatch::Dashboard', 'ObservabilityDashboard');
    // Act
    const dashboard = template.toJSON().Resources[dashboardId] as Resource;
    // Assess
    expect(Object.keys(template.findResources('AWS::CloudWatch::Dashboard'))).toEqual([dashboardId]);
    expect(show(dashboard.Properties.DashboardName)).toBe(`eks-endpoint-guard-\${AWS::Region}`);
    expect(body.start).toBe('-P7D');
    expect(template.toJSON().Outputs.DashboardName).toEqual({ Value: { Ref: dashboardId } });
  });

  test('graphs one Decisions line per outcome word, summed per 5 minutes', () => {
    // Prepare
    const expected = OUTCOME_WORDS.map((outcome) => [
      NAMESPACE,
      'Decisions',
      'outcome',
      outcome,
      'service',
      SERVICE,
      { label: outcome, stat: 'Sum' },
    ]);
    // Act
    const lines = metricsOf('Decisions by outcome');
    // Assess: no period means the dashboard default of 300 seconds.
    expect(lines).toEqual(expected);
  });

  test('graphs p50 and p95 of remediation latency and time to compliance per hour', () => {
    // Prepare
    const line = (name: string, stat: string) => [
      NAMESPACE,
      name,
      'service',
      SERVICE,
      { label: `${name} ${stat}`, period: 3600, stat },
    ];
    // Act
    const lines = metricsOf('Remediation latency and time to compliance');
    // Assess
    expect(lines).toEqual([
      line('RemediationLatency', 'p50'),
      line('RemediationLatency', 'p95'),
      line('TimeToCompliance', 'p50'),
      line('TimeToCompliance', 'p95'),
      [
        NAMESPACE,
        'LateEvents',
        'service',
        SERVICE,
        { label: 'LateEvents', period: 3600, stat: 'Sum', yAxis: 'right' },
      ],
    ]);
  });

  test('graphs the visible messages of both dead-letter queues with the alarm threshold', () => {
    // Prepare
    const depth = (prefix: string, label: string) => [
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      'QueueName',
      queueName(prefix),
      { label, stat: 'Maximum' },
    ];
    // Act
    const properties = widget('Dead-letter queue depth').properties;
    // Assess
    expect(properties.metrics).toEqual([
      depth('DeadLetterQueue', 'dead-letter queue'),
      depth('RecheckDeadLetterQueue', 'recheck dead-letter queue'),
    ]);
    expect(properties.annotations.horizontal).toEqual([
      expect.objectContaining({ value: 1, label: 'alarm' }),
    ]);
  });

  test('graphs function invocations, errors, throttles and duration against the timeout', () => {
    // Prepare
    const fn = ref('AWS::Lambda::Function', 'Remediator');
    const line = (name: string, options: Record<string, string>) => [
      'AWS/Lambda',
      name,
      'FunctionName',
      fn,
      options,
    ];
    // Act
    const counts = metricsOf('Function invocations, errors and throttles');
    const duration = widget('Function duration').properties;
    // Assess
    expect(counts).toEqual([
      line('Invocations', { label: 'Invocations', stat: 'Sum' }),
      line('Errors', { label: 'Errors', stat: 'Sum' }),
      line('Throttles', { label: 'Throttles', stat: 'Sum' }),
    ]);
    expect(duration.metrics).toEqual(
      ['p50', 'p95', 'Maximum'].map((stat) => line('Duration', { label: `Duration ${stat}`, stat })),
    );
    expect(duration.annotations.horizontal).toEqual([
      expect.objectContaining({ value: 300_000, label: 'timeout' }),
    ]);
  });

  test('graphs alert, audit and re-check delivery failures', () => {
    // Prepare
    const names = ['AlertFailures', 'AuditFailures', 'RecheckFailures'];
    // Act
    const lines = metricsOf('Delivery failures (alert, audit record, re-check)');
    // Assess
    expect(lines).toEqual(
      names.map((name) => [NAMESPACE, name, 'service', SERVICE, { label: name, stat: 'Sum' }]),
    );
  });

  test('graphs deferrals and the highest deferral attempt on the right axis', () => {
    // Prepare
    const line = (name: string, options: Record<string, string>) => [
      NAMESPACE,
      name,
      'service',
      SERVICE,
      options,
    ];
    // Act
    const lines = metricsOf('Deferrals');
    // Assess
    expect(lines).toEqual([
      line('Deferrals', { label: 'Deferrals', stat: 'Sum' }),
      line('DeferralAttempt', { label: 'highest attempt', stat: 'Maximum', yAxis: 'right' }),
    ]);
  });

  test('shows the state of every alarm of the stack', () => {
    // Prepare
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => `\${${alarm}.Arn}`,
    );
    // Act
    const shown = widget('Alarms').properties.alarms;
    // Assess
    expect(alarms).toHaveLength(5);
    expect([...shown].sort()).toEqual(alarms.sort());
  });

  test('graphs every alarmed metric with the statistic and period the alarm evaluates', () => {
    // Prepare
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    const graphed = body.widgets
      .filter((w) => w.type === 'metric')
      .flatMap((w) => w.properties.metrics as MetricLine[])
      .map((line) => {
        const options = line.at(-1) as { stat: string; period?: number };
        const names = line.slice(0, -1) as string[];
        const dimensions = [];
        for (let i = 2; i < names.length; i += 2) dimensions.push(`${names[i]}=${names[i + 1]}`);
        return `${names[0]} ${names[1]} ${dimensions.sort().join(',')} ${options.stat}/${options.period ?? 300}`;
      });
    // Act
    const alarmed = alarms.map(({ Properties: p }) => {
      const dimensions = (p.Dimensions as { Name: string; Value: never }[])
        .map((d) => `${d.Name}=${show(d.Value)}`)
        .sort();
      return `${p.Namespace} ${p.MetricName} ${dimensions.join(',')} ${p.Statistic}/${p.Period}`;
    });
    // Assess
    expect(alarmed).toHaveLength(5);
    for (const metric of alarmed) expect(graphed).toContain(metric);
  });

  test('lists failed and blocked decisions from the function log group', () => {
    // Prepare
    const logGroup = ref('AWS::Logs::LogGroup', 'RemediatorLogs');
    // Act
    const properties = widget('Failed and blocked decisions').properties;
    // Assess
    expect(properties.view).toBe('table');
    expect(properties.query).toBe(
      [
        `SOURCE '${logGroup}' | fields @timestamp, cluster, region, outcome, reason, correlationId, attempt, trigger.source, trigger.actorArn`,
        '| filter outcome in ["failed", "blocked"] and ispresent(trigger.source)',
        '| sort @timestamp desc',
        '| limit 1000',
      ].join('\n'),
    );
  });
});

describe('saved Logs Insights queries', () => {
  const queries = () => Object.values(template.findResources('AWS::Logs::QueryDefinition')) as Resource[];
  const named = (name: string) => {
    const found = queries().filter((q) => q.Properties.Name === name);
    if (found.length !== 1) throw new Error(`expected one query named ${name}, found ${found.length}`);
    return (found[0] as Resource).Properties;
  };

  test('are exactly the three, all on the function log group', () => {
    // Prepare
    const logGroup = { Ref: id('AWS::Logs::LogGroup', 'RemediatorLogs') };
    // Act
    const all = queries().map((q) => q.Properties);
    // Assess
    expect(all.map((q) => q.Name).sort()).toEqual([
      'eks-endpoint-guard/changes-by-actor',
      'eks-endpoint-guard/failures-and-blocks',
      'eks-endpoint-guard/remediations',
    ]);
    for (const query of all) expect(query.LogGroupNames).toEqual([logGroup]);
  });

  test('remediations lists remediated decisions with reason, update and actor, newest first', () => {
    // Prepare
    const name = 'eks-endpoint-guard/remediations';
    // Act
    const query = named(name).QueryString;
    // Assess
    expect(query).toBe(
      [
        'fields @timestamp, cluster, region, reason, updateId, updateStatus, trigger.actorArn, trigger.eventName, correlationId',
        '| filter outcome = "remediated" and ispresent(trigger.source)',
        '| sort @timestamp desc',
        '| limit 1000',
      ].join('\n'),
    );
  });

  test('failures-and-blocks lists failed and blocked decisions with reason and correlation id', () => {
    // Prepare
    const name = 'eks-endpoint-guard/failures-and-blocks';
    // Act
    const query = named(name).QueryString;
    // Assess
    expect(query).toBe(
      [
        'fields @timestamp, cluster, region, outcome, reason, correlationId, attempt, trigger.source, trigger.actorArn',
        '| filter outcome in ["failed", "blocked"] and ispresent(trigger.source)',
        '| sort @timestamp desc',
        '| limit 1000',
      ].join('\n'),
    );
  });

  test('changes-by-actor counts event-triggered decisions by actor and outcome', () => {
    // Prepare
    const name = 'eks-endpoint-guard/changes-by-actor';
    // Act
    const query = named(name).QueryString;
    // Assess
    expect(query).toBe(
      [
        'filter trigger.source = "event"',
        '| stats count(*) as decisions by trigger.actorArn, outcome',
        '| sort decisions desc',
      ].join('\n'),
    );
  });
});
