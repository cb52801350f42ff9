import { GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** What must be idle for the storm to be over. */
export interface QuietProbe {
  sqs: SQSClient;
  queueUrl: string;
  /** Everything in the harness: pending async events, batches and invocations in flight, EKS updates running. */
  busy(): string | undefined;
}

/** Messages on the queue, visible, in flight or delayed. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

/**
 * Waits until nothing is pending anywhere, twice in a row half a second apart; resolves with the
 * time it took. Rejects, naming what was still busy, when nothing moved for `stallMs` (`progress`
 * counts what the function has done) or when `timeoutMs` ran out: a busy machine only slows it.
 */
export async function waitForQuiet(
  probe: QuietProbe,
  timeoutMs: number,
  stall?: { stallMs: number; progress(): number },
): Promise<number> {
  const started = Date.now();
  let calm = 0;
  let last = '';
  let moved = { at: Date.now(), count: stall?.progress() ?? 0 };
  while (Date.now() - started < timeoutMs) {
    if (stall) {
      const count = stall.progress();
      if (count !== moved.count) moved = { at: Date.now(), count };
      else if (Date.now() - moved.at > stall.stallMs) break;
    }
    const busy = probe.busy();
    const depth = busy ? 0 : await queueDepth(probe.sqs, probe.queueUrl);
    last = busy ?? (depth > 0 ? `${depth} message(s) on the recheck queue` : '');
    calm = last ? 0 : calm + 1;
    if (calm >= 2) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`not quiet after ${Math.round((Date.now() - started) / 1000)} s: ${last}`);
}

/** What is left on a queue (for the error when the storm never got quiet): kinds and receive counts. */
export async function peekQueue(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
  );
  const counts = Object.entries(Attributes)
    .filter(([k]) => k.startsWith('Approximate'))
    .map(([k, v]) => `${k.replace('ApproximateNumberOfMessages', '') || 'visible'}=${v}`)
    .join(' ');
  return (
    counts +
    ' | ' +
    Messages.map(
      (m) =>
        `${(JSON.parse(m.Body ?? '{}') as { kind?: string }).kind} x${m.Attributes?.ApproximateReceiveCount}`,
    ).join(', ')
  );
}
