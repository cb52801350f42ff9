import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { auditStore } from '../aws/audit-store';
import { validatePolicy } from '../core/policy/policy';
import { policyInWords } from '../core/policy/words';
import { processEvent } from '../guard/process-event';
import { sweep } from '../guard/sweep';
import { writeHtmlReport } from './commands/report';
import { guardRuntime } from './context';
import { seedDemoAuditLogs } from './demo-clients';
import { describeEvent, indent, printAlert, printDecision, printOtherForms } from './demo-print';
import { DEMO_ACCOUNT, DEMO_GUARD_ROLE, DEMO_POLICY, REGION, SCENES } from './demo-story';
import { startEmulator } from './emulator';
import { auditCells, renderTable } from './format';
import type { CliIo } from './io';
import { provisionLocalEnv } from './local-env';
import { ResultPrinter } from './results';
import { createCluster, createVpc, emulatorClients, retarget, subscribeInbox } from './sandbox';

export const DEMO_REPORT_FILE = 'eks-endpoint-guard-demo-report.html';

export async function demoCommand(options: { verbose: boolean; out?: string }, io: CliIo): Promise<void> {
  const started = Date.now();
  const { style } = io;
  const say = (text = '') => io.out(`${text}\n`);
  const heading = (text: string) => say(`\n${style.bold(text)}\n${style.dim('─'.repeat(text.length))}`);
  const eventsDir = findEventsDir();

  say(style.bold('eks-endpoint-guard demo'));
  say(style.dim('A guarded account played locally: nothing here touches a real AWS account.'));

  const emulator = await startEmulator({ stopOnExit: true });
  try {
    // Everything below talks to the emulator only, with dummy credentials.
    for (const name of Object.keys(process.env)) {
      if (name.startsWith('AWS_ENDPOINT_URL_') || name === 'AWS_PROFILE' || name === 'AWS_SESSION_TOKEN') {
        delete process.env[name];
      }
    }
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      POWERTOOLS_LOG_LEVEL: options.verbose ? 'INFO' : 'SILENT',
    });
    say(`\nEmulator: moto_server at ${emulator.endpoint} (ready in ${seconds(Date.now() - started)})`);

    // The clients are bound to the emulator themselves: the environment only configures the guard.
    const clients = emulatorClients(emulator.endpoint, REGION);
    const { env } = await provisionLocalEnv(clients);
    Object.assign(process.env, env);
    heading('The guard, set up with local-env');
    for (const [name, value] of Object.entries(env)) say(`  ${name}=${value}`);
    await clients.ssm.send(
      new PutParameterCommand({
        Name: env.POLICY_PARAMETER_NAME,
        Type: 'String',
        Overwrite: true,
        Value: JSON.stringify(DEMO_POLICY, null, 2),
      }),
    );
    say(`\n  The policy in ${env.POLICY_PARAMETER_NAME}:`);
    for (const line of policyInWords(validatePolicy(DEMO_POLICY, 'demo'))) say(`    ${line}`);
    const inbox = await subscribeInbox(clients, env.TOPIC_ARN, 'demo-team-inbox');
    say(`\n  The team's inbox: an SQS queue subscribed to the alert topic stands in for their email.`);
    const { TopicArn: chatTopicArn = '' } = await clients.sns.send(
      new CreateTopicCommand({ Name: 'demo-chat' }),
    );
    const chatChannel = await subscribeInbox(clients, chatTopicArn, 'demo-chat-channel');
    say('  Their chat channel: another queue, on the chat topic Slack or Teams would subscribe to.');
    say('  Security Hub is on (SECURITY_HUB=true): a finding per cluster and rule.');

    heading('The clusters');
    const withDns = await createVpc(clients.ec2, '10.10', true);
    const withoutDns = await createVpc(clients.ec2, '10.20', false);
    const clusters = [
      {
        name: 'prod-api',
        vpc: withDns,
        what: 'public to the world (EKS defaults); audit log on',
        auditLogging: true,
      },
      {
        name: 'payments',
        vpc: withDns,
        what: 'private only',
        endpoint: { publicAccess: false, privateAccess: true },
      },
      {
        name: 'analytics',
        vpc: withDns,
        what: 'public from 203.0.113.0/24 and 192.0.2.0/24; audit log on',
        auditLogging: true,
        endpoint: {
          publicAccess: true,
          privateAccess: false,
          publicAccessCidrs: ['203.0.113.0/24', '192.0.2.0/24'],
        },
      },
      {
        name: 'legacy-batch',
        vpc: withDns,
        what: 'public to the world, tagged eks-endpoint-guard/exempt=OPS-123 migration',
        tags: { 'eks-endpoint-guard/exempt': 'OPS-123 migration' },
      },
      { name: 'edge-proxy', vpc: withoutDns, what: 'public to the world' },
    ];
    for (const cluster of clusters) await createCluster(clients.eks, cluster);
    const rows = clusters.map((c) => [
      c.name,
      `${c.vpc.vpcId} (DNS hostnames ${c.vpc.dnsHostnames ? 'on' : 'off'})`,
      c.what,
    ]);
    io.out(indent(renderTable(['CLUSTER', 'VPC', 'ENDPOINT'], rows), '  '));
    await seedDemoAuditLogs(clients.logs, new Date(started));
    say(
      '\n  Their API clients: audit events in /aws/eks/<cluster>/cluster, read (CLIENTS_STRATEGY=scan) before any change.',
    );

    const runtime = guardRuntime(
      {
        ...process.env,
        GUARD_ROLE_ARN: DEMO_GUARD_ROLE,
        CHAT_TOPIC_ARN: chatTopicArn,
        SECURITY_HUB: 'true',
        // The emulator's Logs Insights cannot aggregate: the guard reads the audit events itself.
        CLIENTS_STRATEGY: 'scan',
      },
      { clients },
    );
    const lambda = runtime.processOptions(true);
    const seen = new Set<string>();

    heading('The events, as the Lambda receives them');
    for (const [index, scene] of SCENES.entries()) {
      const event = retarget(JSON.parse(readFileSync(join(eventsDir, scene.file), 'utf8')), {
        cluster: scene.cluster,
        account: DEMO_ACCOUNT,
        region: REGION,
        ...(scene.token ? { token: scene.token } : {}),
        ...(scene.identity ? { identity: scene.identity } : {}),
      });
      if (scene.before) await scene.before({ clients, vpcs: { withDns, withoutDns } });
      const { results } = await processEvent(event, runtime.ports, lambda);
      say(
        `\n${style.bold(`${String(index + 1).padStart(2)}. ${describeEvent(event)}`)}  ${style.dim(`events/${scene.file}`)}`,
      );
      say(`    ${scene.story}`);
      for (const result of results) printDecision(result, io);
      for (const alert of await inbox.drain()) printAlert(alert, io, seen);
      const chats = await chatChannel.drain();
      const remediated = results.find((r) => r.outcome === 'remediated' && r.alertMessageId);
      if (remediated && !seen.has('other forms')) {
        seen.add('other forms');
        await printOtherForms(remediated, chats, clients, io);
      }
    }

    heading('A sweep over every cluster (check, report only)');
    const printer = new ResultPrinter({ ...io, out: (text) => io.out(indent(text, '  ')) }, false);
    const report = sweep(runtime.ports, runtime.processOptions(false).guard, {
      region: REGION,
      sweepId: `demo-check-${Date.now()}`,
      trigger: { source: 'sweep' },
      concurrency: runtime.config.SWEEP_CONCURRENCY,
    });
    for await (const result of report) printer.add(result);
    printer.finish();
    const leftover = await inbox.drain();
    if (leftover.length > 0) say(`  (${leftover.length} alert(s) from the sweep)`);

    heading('The audit trail (audit), newest first');
    const store = auditStore(clients.dynamodb, env.AUDIT_TABLE_NAME, REGION, 0);
    const records = await store.query({ since: new Date(started - 60_000) });
    // The reasons were shown above: here the trail itself, narrow enough for a terminal.
    const trail = records.map((record) => {
      const [time = '', cluster = '', outcome = '', trigger = '', change = ''] = auditCells(record);
      return [time.slice(11), cluster, outcome, trigger, change];
    });
    io.out(indent(renderTable(['TIME', 'CLUSTER', 'OUTCOME', 'TRIGGER', 'CHANGE'], trail), '  '));
    say(`  ${records.length} records; "npm run cli -- audit --csv" writes them for a spreadsheet.`);

    // The evidence of what the demo did, as the report command writes it for auditors.
    const reportPath = resolve(options.out ?? DEMO_REPORT_FILE);
    const written = await writeHtmlReport(store, REGION, new Date(started - 60_000), reportPath);
    // Every window drawn, also those whose sample event predates the demo (the events carry old times).
    const windows = written.clusters.reduce((count, cluster) => count + cluster.windows.length, 0);
    const open = written.windows.open;
    say(
      `\nDone in ${seconds(Date.now() - started)}. Try it yourself: start moto_server, then "npm run cli -- local-env", "check", "invoke <event>" and "audit".`,
    );
    say(
      `\nThe report of what it did (${windows} exposure window(s), ${open} still open), as "report --format html" writes it; open it in a browser:`,
    );
    say(`  ${reportPath}`);
  } finally {
    await emulator.stop();
  }
}

/** events/ next to the repository root, whether running from source or from the bundle in dist/. */
function findEventsDir(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = resolve(start);
    for (let depth = 0; depth < 5; depth++) {
      if (existsSync(join(dir, 'events', 'create-cluster-public.json'))) return join(dir, 'events');
      dir = resolve(dir, '..');
    }
  }
  throw new Error('cannot find the sample events (events/create-cluster-public.json) from here');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
