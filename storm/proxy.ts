import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isLoopbackUrl } from '../functions/cli/endpoint-policy';
import type { EksModel } from './eks-model';
import { type AcceptedUpdate, EksProxy } from './eks-proxy';
import { type CrashPlan, chooseCrash, chooseFault, type Fault, type FaultPlan, NO_FAULT } from './faults';
import type { Random } from './random';
import { type AwsRequest, parseRequest } from './request';
import { EKS_TRAIL_EVENTS, type TrailCall } from './trail';
import { callUpstream, type Exchange, endToEnd } from './upstream';
import { serverErrorAnswer, throttleAnswer } from './wire';

/**
 * The storm's AWS: a loopback HTTP proxy in front of the emulator. For the guard's workers it
 * injects faults (faults.ts) in each service's own shape (wire.ts), adds EKS's behaviour
 * (eks-proxy.ts), compresses SQS delays by the storm's time factor, kills a worker right after a
 * call took effect (a crash point), and records what a CloudTrail trail would (trail.ts).
 */
export interface ProxyOptions {
  upstream: string;
  random: Random;
  faults: FaultPlan;
  crashes: CrashPlan;
  /** Real seconds per storm second: SQS DelaySeconds are divided by it. */
  compression: number;
  model: EksModel;
  /** The policy parameter: a person's PutParameter of it is a CloudTrail event. */
  policyParameterName: string;
  onTrail(call: Omit<TrailCall, 'eventId'>): void;
  /** Kill this worker now (SIGKILL); the request it made has taken effect. */
  onCrash(worker: number, point: string): void;
}

export interface ProxyStats {
  requests: number;
  /** Faults injected, by kind and by `service:kind`. */
  faults: Map<string, number>;
  crashes: Map<string, number>;
  /** Messages the guard sent to SQS, for the loss check: their queue, kind and (compressed) delay. */
  sentMessages: Map<string, SentMessage>;
}

export interface SentMessage {
  queueUrl: string;
  kind: string;
  delaySeconds: number;
  at: number;
  worker: number;
  /** What the message says of itself: its cluster, the decision's time and target, whether it is a record of intent. */
  about?: { cluster?: string; time?: string; pending?: boolean; after?: unknown };
}

export interface FaultProxy {
  endpoint: string;
  stats: ProxyStats;
  eks: EksProxy;
  /** Faults and crash points apply only while on (off for setup and for the quiet at the end). */
  setChaos(on: boolean): void;
  close(): Promise<void>;
}

export async function startProxy(options: ProxyOptions): Promise<FaultProxy> {
  if (!isLoopbackUrl(options.upstream))
    throw new Error(`the proxy only forwards to loopback, not ${options.upstream}`);
  const upstream = new URL(options.upstream);
  const eks = new EksProxy(upstream, options.model);
  const stats: ProxyStats = { requests: 0, faults: new Map(), crashes: new Map(), sentMessages: new Map() };
  const started = Date.now();
  let chaos = false;
  let sequence = 0;
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  async function serve(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    stats.requests += 1;
    const requestId = `storm-${(sequence++).toString(16).padStart(8, '0')}`;
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const call = parseRequest(method, path, req.headers, body);
    const worker = call.caller.kind === 'worker' ? call.caller.id : undefined;
    const fault: Fault =
      worker !== undefined && chaos
        ? chooseFault(options.random, options.faults, call.service, Date.now() - started)
        : NO_FAULT;
    if (fault.latencyMs > 0) await delay(fault.latencyMs);
    if (fault.kind !== 'none') {
      count(stats.faults, fault.kind);
      count(stats.faults, `${call.service}:${fault.kind}`);
    }
    if (fault.kind === 'throttle' || fault.kind === 'server-error') {
      const answer =
        fault.kind === 'throttle'
          ? throttleAnswer(call.service, requestId)
          : serverErrorAnswer(call.service, requestId);
      if (answer) return reply(res, answer);
    }
    if (fault.kind === 'reset') return void req.socket.destroy();
    if (fault.kind === 'timeout') {
      await delay(fault.holdMs);
      return void req.socket.destroy();
    }
    const headers = endToEnd(req.headers);
    const sent =
      call.service === 'sqs' && call.operation === 'SendMessage'
        ? compressDelay(body, options.compression)
        : body;
    let answer: Exchange;
    if (call.service === 'eks') {
      const by = call.caller.kind === 'worker' ? 'guard' : call.caller.kind;
      const handled = await eks.handle({
        operation: call.operation,
        method,
        path,
        headers,
        body,
        by,
        ...(call.caller.kind !== 'harness' ? { caller: call.caller.id } : {}),
        now: Date.now,
        requestId,
      });
      answer = handled.answer;
      if (answer.status === 200) trailOfEks(call, body, path, handled.accepted, answer);
    } else {
      answer = await callUpstream(upstream, method, path, headers, sent);
      if (answer.status === 200) trailOfSsm(call, body);
    }
    if (
      worker !== undefined &&
      call.service === 'sqs' &&
      call.operation === 'SendMessage' &&
      answer.status === 200
    ) {
      const messageId = (JSON.parse(answer.body) as { MessageId?: string }).MessageId;
      const input = JSON.parse(sent) as { QueueUrl?: string; MessageBody?: string; DelaySeconds?: number };
      const message = JSON.parse(input.MessageBody ?? '{}') as {
        kind?: string;
        decision?: { pending?: boolean; result?: { cluster?: string; time?: string; after?: unknown } };
        request?: { cluster?: string };
      };
      const result = message.decision?.result;
      if (messageId) {
        stats.sentMessages.set(messageId, {
          queueUrl: input.QueueUrl ?? '',
          kind: message.kind ?? 'unknown',
          delaySeconds: input.DelaySeconds ?? 0,
          at: Date.now(),
          worker,
          about: result
            ? {
                cluster: result.cluster,
                time: result.time,
                pending: message.decision?.pending === true,
                after: result.after,
              }
            : { cluster: message.request?.cluster },
        });
      }
    }
    if (fault.kind === 'lost-response') return void req.socket.destroy();
    if (
      worker !== undefined &&
      chaos &&
      answer.status < 300 &&
      chooseCrash(options.random, options.crashes, call.service, call.operation)
    ) {
      count(stats.crashes, `${call.service}:${call.operation}`);
      options.onCrash(worker, `${call.service}:${call.operation}`);
      return void req.socket.destroy();
    }
    reply(res, answer);
  }

  function trailOfEks(
    call: AwsRequest,
    body: string,
    path: string,
    accepted: AcceptedUpdate | undefined,
    answer: Exchange,
  ): void {
    if (!EKS_TRAIL_EVENTS.includes(call.operation) || call.caller.kind === 'harness') return;
    const by =
      call.caller.kind === 'worker'
        ? { kind: 'guard' as const, worker: call.caller.id }
        : { kind: 'person' as const, id: call.caller.id };
    const request = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const arn = decodeURIComponent(path.split('?')[0]?.replace(/^\/tags\//, '') ?? '');
    const requestParameters =
      call.operation === 'UpdateClusterConfig'
        ? { name: accepted?.cluster, ...request }
        : call.operation === 'TagResource'
          ? { resourceArn: arn, tags: request.tags }
          : call.operation === 'UntagResource'
            ? { resourceArn: arn, tagKeys: new URLSearchParams(path.split('?')[1] ?? '').getAll('tagKeys') }
            : request;
    const responseElements = accepted
      ? { update: accepted.update }
      : (JSON.parse(answer.body || '{}') as Record<string, unknown>);
    options.onTrail({
      time: new Date(),
      eventSource: 'eks.amazonaws.com',
      eventName: call.operation,
      by,
      requestParameters,
      responseElements,
    });
  }

  function trailOfSsm(call: AwsRequest, body: string): void {
    if (call.service !== 'ssm' || call.operation !== 'PutParameter' || call.caller.kind !== 'person') return;
    const request = JSON.parse(body) as { Name?: string; Type?: string; Overwrite?: boolean };
    if (request.Name !== options.policyParameterName) return;
    options.onTrail({
      time: new Date(),
      eventSource: 'ssm.amazonaws.com',
      eventName: 'PutParameter',
      by: { kind: 'person', id: call.caller.id },
      requestParameters: { name: request.Name, type: request.Type, overwrite: request.Overwrite },
    });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      serve(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        if (!res.headersSent)
          reply(res, {
            status: 502,
            headers: { 'content-type': 'text/plain' },
            body: `proxy: ${(error as Error).message}`,
          });
      });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    eks,
    setChaos(on) {
      chaos = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function reply(res: ServerResponse, answer: Exchange): void {
  if (res.destroyed) return;
  const payload = Buffer.from(answer.body, 'utf8');
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(payload.length) });
  res.end(payload);
}

/** SendMessage (JSON protocol) with its DelaySeconds divided by the time factor, rounded up. */
export function compressDelay(body: string, compression: number): string {
  const input = JSON.parse(body) as { DelaySeconds?: number };
  if (typeof input.DelaySeconds !== 'number' || input.DelaySeconds <= 0) return body;
  return JSON.stringify({ ...input, DelaySeconds: Math.ceil(input.DelaySeconds / compression) });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
