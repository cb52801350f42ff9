// Measured in a fresh Node process: how long the Lambda bundle takes to load (`require`, which runs
// the module-level code: configuration, clients, telemetry) and to handle its first event.
// Usage: node cold-start.cjs <resultFile> <bundle|-> <eventFile>
import { readFileSync, writeFileSync } from 'node:fs';

const booted = performance.now();
const [resultFile, bundle, eventFile] = process.argv.slice(2);

const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'eks-endpoint-guard-remediator',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:eks-endpoint-guard-remediator',
  memoryLimitInMB: '512',
  awsRequestId: '00000000-0000-4000-8000-000000000001',
  logGroupName: '/aws/lambda/eks-endpoint-guard-remediator',
  logStreamName: '2025/01/01/[$LATEST]00000000000000000000000000000000',
  getRemainingTimeInMillis: () => 300_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

async function main(): Promise<void> {
  if (!resultFile || !bundle || !eventFile)
    throw new Error('usage: cold-start <resultFile> <bundle|-> <event>');
  if (bundle === '-') {
    // Baseline: a Node process that loads nothing.
    writeFileSync(
      resultFile,
      JSON.stringify({
        bootMs: booted,
        loadMs: 0,
        invokeMs: 0,
        loadCpuMs: 0,
        invokeCpuMs: 0,
        outcome: 'none',
      }),
    );
    return;
  }
  const event = JSON.parse(readFileSync(eventFile, 'utf8')) as unknown;
  const cpuBefore = process.cpuUsage();
  const beforeLoad = performance.now();
  const { handler } = require(bundle) as {
    handler?: (event: unknown, context: unknown) => Promise<{ results: { outcome: string }[] }>;
  };
  const loaded = performance.now();
  const cpuLoaded = process.cpuUsage(cpuBefore);
  // A bundle of one dependency (load-time attribution) has no handler: load only.
  const response = handler ? await handler(event, context) : { results: [{ outcome: 'n/a' }] };
  const invoked = performance.now();
  const cpuInvoked = process.cpuUsage(cpuBefore);
  writeFileSync(
    resultFile,
    JSON.stringify({
      bootMs: booted,
      loadMs: loaded - beforeLoad,
      invokeMs: invoked - loaded,
      // CPU time (user + system) is less disturbed than wall time by other work on the machine.
      loadCpuMs: (cpuLoaded.user + cpuLoaded.system) / 1000,
      invokeCpuMs: (cpuInvoked.user + cpuInvoked.system - cpuLoaded.user - cpuLoaded.system) / 1000,
      outcome: response.results.map((r) => r.outcome).join(',') || 'none',
      rssKib: process.resourceUsage().maxRSS,
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
