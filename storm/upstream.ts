import { type IncomingHttpHeaders, request } from 'node:http';

/** An HTTP exchange with the emulator: what the proxy forwards and what it gets back. */
export interface Exchange {
  status: number;
  headers: Record<string, string>;
  body: string;
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
  'host',
]);

export function endToEnd(headers: IncomingHttpHeaders | Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name.toLowerCase())) continue;
    kept[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return kept;
}

/** Sends one request to the emulator at `base` (loopback) and reads the whole answer. */
export function callUpstream(
  base: URL,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body, 'utf8');
    const forward = request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: { ...headers, host: base.host, 'content-length': String(payload.length) },
      },
      (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('end', () =>
          resolve({
            status: answer.statusCode ?? 502,
            headers: endToEnd(answer.headers),
            body: Buffer.concat(parts).toString('utf8'),
          }),
        );
        answer.on('error', reject);
      },
    );
    forward.on('error', reject);
    forward.end(payload);
  });
}
