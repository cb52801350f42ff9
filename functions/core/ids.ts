import { createHash } from 'node:crypto';

/**
 * The longest id the guard hands on: the recheck queue's message schema takes correlation ids of
 * 1-128 printable ASCII characters, and the audit table's sort key embeds them (DynamoDB allows
 * 1,024 bytes there and 2,048 in the partition key, which holds `<region>#<cluster>`).
 */
export const MAX_ID_LENGTH = 128;

const PRINTABLE = /^[\x21-\x7e]+$/;
const HASH_LENGTH = 10;

/**
 * A printable id of at most MAX_ID_LENGTH characters: `id` itself when it is one, otherwise its
 * readable start, `~` and a short hash of the whole id, so distinct ids stay distinct.
 */
export function boundedId(id: string, max = MAX_ID_LENGTH): string {
  if (id.length > 0 && id.length <= max && PRINTABLE.test(id)) return id;
  const readable = id.replace(/[^\x21-\x7e]/g, '_').slice(0, Math.max(0, max - HASH_LENGTH - 1));
  return `${readable}~${hashOf(id)}`;
}

/**
 * The correlation id of one cluster's check within a sweep: `<sweepId>/<cluster>`. The cluster name
 * (up to 100 characters) is kept whole, as it is what people look for; a sweep id that leaves no
 * room for it is shortened to its start and a hash, e.g. `sweep-4f1c2a9e-0~3fa94c01d2/<name>`.
 */
export function clusterCorrelationId(sweepId: string, cluster: string): string {
  const id = `${sweepId}/${cluster}`;
  if (id.length <= MAX_ID_LENGTH && PRINTABLE.test(id)) return id;
  return `${boundedId(sweepId, Math.max(HASH_LENGTH + 1, MAX_ID_LENGTH - cluster.length - 1))}/${cluster}`;
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
}
