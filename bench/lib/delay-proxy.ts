import { createServer, type IncomingHttpHeaders, request, type ServerResponse } from 'node:http';
import { isLoopbackUrl } from '../../functions/cli/endpoint-policy';
import { onCleanup } from './cleanup';

/**
 * A loopback HTTP proxy in front of the emulator that holds every request for a fixed time before
 * forwarding it: AWS calls then take what a call to a regional endpoint takes, instead of the
 * emulator's few milliseconds.
 */
export interface DelayProxy {
  endpoint: string;
  /** Calls forwarded, by operation, with the emulator's own time (upstream) for each. */
  readonly calls: Map<string, number[]>;
  /** Calls answered with a throttling error instead of being forwarded, by operation. */
  readonly throttled: Map<string, number>;
  /** When the first request arrived since the last reset (performance.now() of this process). */
  readonly firstRequestAt: number | undefined;
  /** The most requests held or forwarded at once since the last reset. */
  readonly peakInFlight: number;
  /** From now on, answer this share (0..1) of the calls of `operation` with ThrottlingException. */
  throttle(share: number, operation?: string): void;
  reset(): void;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'content-length',
]);

/** The operation an SDK request is for: JSON protocols name it in a header, query ones in the body, EKS in the path. */
function operationOf(method: string, path: string, headers: IncomingHttpHeaders, body: string): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  const action = /(?:^|&)Action=([A-Za-z]+)/.exec(body)?.[1];
  if (action) return action;
  if (path.startsWith('/clusters')) {
    if (method === 'GET') return /^\/clusters\/?(\?|$)/.test(path) ? 'ListClusters' : 'DescribeCluster';
    if (method === 'POST' && /\/update-config/.test(path)) return 'UpdateClusterConfig';
    return `${method} /clusters`;
  }
  return `${method} ${path.split('?')[0]}`;
}

/**
 * What EKS answers a throttled call with (REST-JSON): HTTP 429, the error type in a header and
 * the message in the body. The SDK retries it as a throttle, then raises ThrottlingException.
 */
function answerThrottled(res: ServerResponse): void {
  const payload = Buffer.from(JSON.stringify({ message: 'Rate exceeded' }));
  res.writeHead(429, {
    'content-type': 'application/json',
    'x-amzn-errortype': 'ThrottlingException',
    'x-amzn-requestid': '00000000-0000-4000-8000-000000000429',
    'content-length': String(payload.length),
  });
  res.end(payload);
}

export async function startDelayProxy(target: string, delayMs: number): Promise<DelayProxy> {
  if (!isLoopbackUrl(target)) throw new Error(`the proxy only forwards to loopback, not ${target}`);
  const upstream = new URL(target);
  const calls = new Map<string, number[]>();
  const throttled = new Map<string, number>();
  let firstRequestAt: number | undefined;
  let inFlight = 0;
  let peakInFlight = 0;
  let throttling: { share: number; operation?: string; seen: number } | undefined;
  // Deterministic: every call whose running count crosses a multiple of 1/share is throttled.
  const shouldThrottle = (operation: string) => {
    if (!throttling || (throttling.operation && throttling.operation !== operation)) return false;
    throttling.seen += 1;
    return (
      Math.floor(throttling.seen * throttling.share) > Math.floor((throttling.seen - 1) * throttling.share)
    );
  };
  const server = createServer((req, res) => {
    firstRequestAt ??= performance.now();
    inFlight += 1;
    peakInFlight = Math.max(peakInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = operationOf(req.method ?? 'GET', req.url ?? '/', req.headers, body.toString('utf8'));
      setTimeout(() => {
        if (shouldThrottle(operation)) {
          throttled.set(operation, (throttled.get(operation) ?? 0) + 1);
          answerThrottled(res);
          return;
        }
        const started = performance.now();
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())),
        );
        const forward = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: { ...headers, 'content-length': String(body.length) },
          },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => parts.push(chunk));
            answer.on('end', () => {
              const list = calls.get(operation) ?? [];
              if (list.length < 100_000) list.push(performance.now() - started);
              calls.set(operation, list);
              const payload = Buffer.concat(parts);
              const back = Object.fromEntries(
                Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())),
              );
              res.writeHead(answer.statusCode ?? 502, { ...back, 'content-length': String(payload.length) });
              res.end(payload);
            });
          },
        );
        forward.on('error', (error) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`proxy: ${error.message}`);
        });
        forward.end(body);
      }, delayMs);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  const forget = onCleanup(`delay proxy on port ${port}`, close);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    throttled,
    get firstRequestAt() {
      return firstRequestAt;
    },
    get peakInFlight() {
      return peakInFlight;
    },
    throttle(share, operation) {
      throttling = share > 0 ? { share, ...(operation ? { operation } : {}), seen: 0 } : undefined;
    },
    reset: () => {
      calls.clear();
      throttled.clear();
      firstRequestAt = undefined;
      peakInFlight = inFlight;
    },
    async close() {
      await close();
      forget();
    },
  };
}
