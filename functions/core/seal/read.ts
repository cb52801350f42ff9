import * as z from 'zod/mini';
import { DIGEST_SCHEMA, type Digest } from './digest';

/** A digest read back from the bucket is input like any other: checked field by field. */
const Iso = z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO time'));
const Hash = z.string().check(z.regex(/^sha256:[0-9a-f]{64}$/, 'expected sha256:<64 hex digits>'));

const DigestSchema = z.object({
  schema: z.literal(DIGEST_SCHEMA),
  region: z.string().check(z.minLength(1), z.maxLength(64)),
  account: z.optional(z.string().check(z.regex(/^\d{12}$/))),
  table: z.string().check(z.minLength(1), z.maxLength(1024)),
  sequence: z.number().check(z.int(), z.minimum(1)),
  from: Iso,
  to: Iso,
  sealedAt: Iso,
  previous: z.nullable(
    z.object({ sequence: z.number().check(z.int(), z.minimum(1)), key: z.string(), hash: Hash }),
  ),
  records: z.array(
    z.object({
      kind: z.enum(['decision', 'sweep']),
      key: z.string().check(z.minLength(1)),
      cluster: z.string(),
      time: z.string(),
      expiresAt: z.optional(z.number()),
      hash: Hash,
    }),
  ),
});

/** The digest in `text`, or one line saying why it is not one. */
export function readDigest(text: string): Digest | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const parsed = DigestSchema.safeParse(data);
  if (parsed.success) return parsed.data as Digest;
  const issue = parsed.error.issues[0];
  return `${issue?.path.join('.') || 'digest'}: ${issue?.message ?? 'invalid'}`;
}
