import type { Line } from './line';
import { PRICES } from './prices';
import { byType, type Resource, type Resources } from './templates';

/**
 * An SQS event source mapping long-polls an idle queue: Lambda keeps 5 pollers, each receiving
 * every 20 s. That is a fixed charge of every member with a recheck queue.
 */
export const IDLE_SQS_POLLS_PER_MONTH = 5 * 3 * 60 * 24 * 30;

/** Metrics an alarm evaluates: one, or each metric of its math expression. */
function alarmMetrics(alarm: Resource): number {
  const metrics = alarm.Properties?.Metrics as { MetricStat?: unknown }[] | undefined;
  return metrics ? metrics.filter((m) => m.MetricStat).length : 1;
}

/** Custom (non-AWS/) metrics the template's alarms and dashboards name: published whenever they occur. */
export function customMetrics(resources: Resources): string[] {
  const names = new Set<string>();
  for (const alarm of byType(resources, 'AWS::CloudWatch::Alarm')) {
    const p = alarm.Properties ?? {};
    if (typeof p.Namespace === 'string' && !p.Namespace.startsWith('AWS/')) {
      const dims = ((p.Dimensions as { Name: string; Value: unknown }[] | undefined) ?? [])
        .map((d) => `${d.Name}=${JSON.stringify(d.Value)}`)
        .join(',');
      names.add(`${p.Namespace}/${p.MetricName}{${dims}}`);
    }
  }
  for (const dashboard of byType(resources, 'AWS::CloudWatch::Dashboard')) {
    const body = JSON.stringify(dashboard.Properties?.DashboardBody ?? '');
    // Dashboard bodies render metrics as ["Namespace","Name","dim","value",...] arrays.
    for (const match of body.matchAll(
      /\[\\"(EksEndpointGuard[^\\"]*)\\",\\"([A-Za-z]+)\\"((?:,\\"[^\\"]*\\")*)/g,
    )) {
      const dims = (match[3] ?? '').replaceAll('\\"', '').replace(/^,/, '');
      const pairs = dims.split(',').reduce<string[]>((acc, part, i, all) => {
        if (i % 2 === 0 && all[i + 1] !== undefined) acc.push(`${part}="${all[i + 1]}"`);
        return acc;
      }, []);
      names.add(`${match[1]}/${match[2]}{${pairs.join(',')}}`);
    }
  }
  return [...names].sort();
}

/** Charges that do not depend on the workload: counted from the template's resources. */
export function fixedCost(resources: Resources): Line[] {
  const keys = byType(resources, 'AWS::KMS::Key').length;
  const alarmMetricCount = byType(resources, 'AWS::CloudWatch::Alarm').reduce(
    (n, a) => n + alarmMetrics(a),
    0,
  );
  const dashboards = byType(resources, 'AWS::CloudWatch::Dashboard').length;
  const metrics = customMetrics(resources).length;
  const pollers = byType(resources, 'AWS::Lambda::EventSourceMapping').length * IDLE_SQS_POLLS_PER_MONTH;
  const advanced = byType(resources, 'AWS::SSM::Parameter').filter(
    (p) => p.Properties?.Tier === 'Advanced',
  ).length;
  return [
    { item: 'KMS customer managed keys', quantity: keys, usd: keys * PRICES.kmsKeyMonth.usd },
    {
      item: 'CloudWatch alarm metrics',
      quantity: alarmMetricCount,
      usd: alarmMetricCount * PRICES.alarmMetricMonth.usd,
    },
    { item: 'CloudWatch dashboards', quantity: dashboards, usd: dashboards * PRICES.dashboardMonth.usd },
    {
      item: 'Custom metrics (alarmed or graphed)',
      quantity: metrics,
      usd: metrics * PRICES.customMetricMonth.usd,
    },
    { item: 'SQS idle long polls (event source)', quantity: pollers, usd: pollers * PRICES.sqsRequest.usd },
    {
      item: 'SSM advanced parameters',
      quantity: advanced,
      usd: advanced * PRICES.ssmAdvancedParameterMonth.usd,
    },
  ];
}
