import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { WorkerPool } from './workers';

/**
 * Lambda's event source mapping for the recheck queue: batches of up to 10 messages, at most
 * `maxConcurrency` batches at once (the stack's RECHECK_MAX_CONCURRENCY), partial batch responses.
 * A message the function reports as failed, or whose invocation crashed or timed out, is not
 * deleted: SQS delivers it again after the visibility timeout, and moves it to the dead-letter
 * queue after `maxReceiveCount` receives (the queue's redrive policy, applied by the emulator).
 */
export interface QueueSourceOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  pool: WorkerPool;
  maxConcurrency: number;
  visibilityTimeoutSeconds: number;
  /** What SQS names as the sender: only the guard's role may send to this queue (its queue policy). */
  senderId: string;
}

export interface QueueLedger {
  receives: number;
  batches: number;
  /** Message ids deleted after the function handled them. */
  handled: Set<string>;
  /** Batch items the function reported as failed (retried by SQS). */
  itemFailures: number;
  /** Batches whose invocation crashed or timed out (every message retried by SQS). */
  lostBatches: number;
}

export class QueueSource {
  readonly ledger: QueueLedger = {
    receives: 0,
    batches: 0,
    handled: new Set(),
    itemFailures: 0,
    lostBatches: 0,
  };
  #running = false;
  #inFlight = 0;
  #loop: Promise<void> | undefined;
  #requests = 0;
  /** When the last ReceiveMessage answered (for the report when the queue never gets quiet). */
  lastPoll = 0;

  constructor(private readonly options: QueueSourceOptions) {}

  get inFlight(): number {
    return this.#inFlight;
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#poll();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  async #poll(): Promise<void> {
    while (this.#running) {
      // Lambda polls for a batch only when it can invoke the function with it at once: a batch held
      // while every execution environment is busy would outlive its visibility timeout for nothing.
      if (this.#inFlight >= this.options.maxConcurrency || this.options.pool.idle === 0) {
        await sleep(50);
        continue;
      }
      let messages: Message[] = [];
      try {
        const answer = await this.options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.options.queueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: this.options.visibilityTimeoutSeconds,
            WaitTimeSeconds: 0,
            MessageSystemAttributeNames: ['All'],
          }),
        );
        messages = answer.Messages ?? [];
        this.lastPoll = Date.now();
      } catch {
        await sleep(200);
        continue;
      }
      if (messages.length === 0) {
        await sleep(150);
        continue;
      }
      this.ledger.receives += messages.length;
      this.#inFlight += 1;
      void this.#invoke(messages).finally(() => {
        this.#inFlight -= 1;
      });
    }
  }

  async #invoke(messages: Message[]): Promise<void> {
    this.ledger.batches += 1;
    const event = { Records: messages.map((m) => this.#record(m)) };
    const requestId = `storm-sqs-${(this.#requests++).toString(16).padStart(6, '0')}`;
    const result = await this.options.pool.invoke(event, requestId);
    if (result.kind !== 'ok') {
      this.ledger.lostBatches += 1;
      return;
    }
    const failures = new Set(
      (
        (result.response as { batchItemFailures?: { itemIdentifier: string }[] })?.batchItemFailures ?? []
      ).map((f) => f.itemIdentifier),
    );
    this.ledger.itemFailures += failures.size;
    const done = messages.filter((m) => m.MessageId && !failures.has(m.MessageId));
    if (done.length === 0) return;
    try {
      const answer = await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
      const refused = new Set((answer.Failed ?? []).map((f) => f.Id));
      done.forEach((m, i) => {
        if (m.MessageId && !refused.has(String(i))) this.ledger.handled.add(m.MessageId);
      });
    } catch {
      // Not deleted: SQS delivers the messages again after the visibility timeout, as it would.
    }
  }

  #record(message: Message): Record<string, unknown> {
    const attributes = message.Attributes ?? {};
    return {
      messageId: message.MessageId,
      receiptHandle: message.ReceiptHandle,
      body: message.Body,
      attributes: {
        ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
        SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
        SenderId: this.options.senderId,
        ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: message.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: this.options.queueArn,
      awsRegion: this.options.region,
    };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
