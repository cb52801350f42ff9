import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GetFindingsCommand } from '@aws-sdk/client-securityhub';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { auditStore } from '../aws/audit-store';
import type { AwsClients } from '../aws/clients';
import { validatePolicy } from '../core/policy/policy';
import { policyInWords } from '../core/policy/words';
import type { CheckResult } from '../core/result';
import { processEvent } from '../guard/process-event';
import { sweep } from '../guard/sweep';
import { writeHtmlReport } from './commands/report';
import { guardRuntime } from './context';
import { seedDemoAuditLogs } from './demo-clients';
import { DEMO_ACCOUNT, DEMO_GUARD_ROLE, DEMO_POLICY, guardSession, REGION, SCENES } from './demo-story';
import { startEmulator } from './emulator';
import { auditCells, changeOf, renderTable, shortArn } from './format';
import type { CliIo } from './io';
import { provisionLocalEnv } from './local-env';
import { ResultPrinter } from './results';
import {
  createCluster,
  createVpc,
  type DeliveredAlert,
  emulatorClients,
  retarget,
  subscribeInbox,
} from './sandbox';

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

function printDecision(result: CheckResult, io: CliIo): void {
  const change = changeOf(result);
  io.out(
    `    → ${io.style.outcome(result.outcome, result.outcome.padEnd(15))} ${change === '-' ? '' : change}\n`,
  );
  io.out(`${io.style.dim(wrap(result.reason, 90, '      '))}\n`);
  if (result.fix) io.out(`      fix: ${result.fix}\n`);
  const cutOff = result.clientsCutOff;
  if (cutOff?.clients === 'unknown')
    io.out(`${io.style.dim(`      API clients cut off: unknown (${cutOff.why})`)}\n`);
}

function printAlert(alert: DeliveredAlert, io: CliIo, seen: Set<string>): void {
  const attributes = Object.entries(alert.attributes)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  io.out(`\n    ✉ ${io.style.bold(alert.subject)}\n`);
  io.out(`      ${io.style.dim(`attributes: ${attributes}`)}\n`);
  const kind = alert.attributes.outcome ?? '';
  if (seen.has(kind)) {
    io.out(`      ${io.style.dim('(body laid out like the one above)')}\n`);
    return;
  }
  seen.add(kind);
  io.out(`${indent(alert.text.trimEnd(), '      │ ')}\n`);
}

/** The chat and Security Hub forms of the same remediation: one set of facts, each channel's shape. */
async function printOtherForms(
  result: CheckResult,
  chats: DeliveredAlert[],
  clients: AwsClients,
  io: CliIo,
): Promise<void> {
  const content = chats[0]?.message.content as { title?: string; description?: string } | undefined;
  if (content?.title) {
    io.out(`\n    💬 ${io.style.bold(`chat: ${content.title}`)}\n`);
    const description = (content.description ?? '').split('\n').slice(0, 6).join('\n');
    io.out(`${indent(description.trimEnd(), '      │ ')}\n`);
  }
  const { Findings = [] } = await clients.securityhub.send(
    new GetFindingsCommand({
      Filters: { ResourceId: [{ Value: result.clusterArn ?? '', Comparison: 'EQUALS' }] },
      MaxResults: 10,
    }),
  );
  for (const finding of Findings) {
    io.out(`\n    🛡 ${io.style.bold(`Security Hub: ${finding.Title ?? ''}`)}\n`);
    const fields: [string, string | undefined][] = [
      ['Id', finding.Id],
      ['GeneratorId', finding.GeneratorId],
      ['Compliance', finding.Compliance?.Status],
      ['RecordState', finding.RecordState],
      ['Severity', finding.Severity?.Label],
      ['Resource', `${finding.Resources?.[0]?.Type ?? ''} ${finding.Resources?.[0]?.Id ?? ''}`],
    ];
    for (const [name, value] of fields) io.out(`      │ ${`${name}:`.padEnd(13)}${value ?? '-'}\n`);
  }
}

/** `CreateCluster prod-api by user/platform-ci`, from the event itself. */
function describeEvent(event: unknown): string {
  const detail = (event as { detail?: Record<string, unknown> }).detail ?? {};
  const params = (detail.requestParameters ?? {}) as Record<string, unknown>;
  const identity = (detail.userIdentity ?? {}) as Record<string, unknown>;
  const actor = shortArn(typeof identity.arn === 'string' ? identity.arn : undefined);
  const failed = typeof detail.errorCode === 'string' ? ` (${detail.errorCode})` : '';
  const who = identity.arn === guardSession().arn ? 'the guard' : (actor ?? 'someone');
  return `${String(detail.eventName)} ${String(params.name ?? params.clusterName)} by ${who}${failed}`;
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

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line, index, lines) =>
      index === lines.length - 1 && line === '' ? line : `${prefix}${line}`.trimEnd(),
    )
    .join('\n');
}

function wrap(text: string, width: number, prefix: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => `${prefix}${l}`).join('\n');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
