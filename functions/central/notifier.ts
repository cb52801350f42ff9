import type { SNSClient } from '@aws-sdk/client-sns';
import type { CentralStore } from '../aws/central-store';
import { type ClientSource, resolveClient, sdk } from '../aws/clients';
import { centralChat } from '../core/central';
import { jsonLog, type Log, metricLine } from './log';

export interface NotifierOptions {
  regions: readonly string[];
  /** Holds back a second chat notice about an unreadable decision from the same account within the hour. */
  store: CentralStore;
  now?: () => Date;
  log?: Log;
}

/**
 * Publishes the chat form of a member decision to the chat topic. A failed publish throws, so that
 * Lambda retries the event and, after its retries, puts it in the central dead-letter queue. A
 * decision the chat form cannot read becomes a short notice, at most one per account per hour.
 */
export function notifier(client: ClientSource<SNSClient>, topicArn: string, options: NotifierOptions) {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? jsonLog;
  return async (event: unknown): Promise<'published' | 'rejected' | 'held back'> => {
    const at = now();
    const chat = centralChat(event, { regions: options.regions, now: at });
    if (chat.kind === 'rejected') {
      log({ level: 'WARN', message: 'event refused', reason: chat.reason });
      return 'rejected';
    }
    if (chat.kind === 'unreadable') {
      const account = (event as { account: string }).account;
      log({ level: 'WARN', message: 'unreadable decision detail', reason: chat.reason, account });
      if (!(await options.store.takeNotice('chat', account, at))) {
        log(metricLine(at, { NoticesHeldBack: 1 }, { account, channel: 'chat' }));
        return 'held back';
      }
    }
    const { PublishCommand } = sdk.sns();
    await resolveClient(client).send(new PublishCommand({ TopicArn: topicArn, ...chat.message }));
    return 'published';
  };
}
