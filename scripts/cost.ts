/**
 * Monthly cost of the guard, from the synthesised templates and published list prices
 * (`npm run cost`, `npm run cost -- --json`). Fixed charges are counted from the resources in the
 * templates; usage charges from a stated workload (sweeps, clusters, events). Nothing is deployed:
 * the templates are synthesised in-process, offline, without bundling the function code.
 * The parts are in cost/: prices, workload, templates, fixed and usage charges, report, markdown.
 */
import { renderMarkdown, usd } from './cost/markdown';
import { costReport } from './cost/report';
import { synthesizeTemplates } from './cost/templates';

export { DIGEST_RUN, digestCost, runsPerMonth } from './cost/digest-charges';
export { customMetrics, fixedCost, IDLE_SQS_POLLS_PER_MONTH } from './cost/fixed-charges';
export { type Line, total } from './cost/line';
export { renderMarkdown } from './cost/markdown';
export { PRICES } from './cost/prices';
export { queueProofCost } from './cost/queue-proof';
export { type CostReport, costReport } from './cost/report';
export { type Resources, synthesizeTemplates, type Templates } from './cost/templates';
export { centralUsageCost, memberUsageCost } from './cost/usage-charges';
export { DEFAULT_WORKLOAD, type Workload } from './cost/workload';

function main(): void {
  const templates = synthesizeTemplates();
  const report = costReport(templates);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(renderMarkdown(report));
  const one = costReport(templates, 1, 1);
  console.log('');
  console.log(
    `One account, one region, organisation mode: member ${usd(one.perMemberRegion.member)} + central ${usd(one.organisation.centralUsd)} a month.`,
  );
}

if (require.main === module) main();
