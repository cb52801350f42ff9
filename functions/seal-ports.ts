import type { DigestHead, SealableItem } from './core/seal/digest';
import type { DigestVersion } from './core/seal/verify';

/**
 * What sealing the audit trail needs from AWS (DESIGN §16), beside the guard's other ports
 * (ports.ts): the records and the chain's head in the audit table, and the digest bucket.
 */

/** What a digest seals, and where the chain's latest digest is remembered: the audit table. */
export interface SealSource {
  /** The audit table's name, named in each digest. */
  readonly table: string;
  /** Every decision record and sweep summary whose time (in its key) is in [from, to), as stored. */
  sealable(from: Date, to: Date): Promise<SealableItem[]>;
  /** The chain's head, or undefined before the first digest. */
  digestHead(): Promise<DigestHead | undefined>;
  /**
   * Replaces the head if the table still holds `expected` (undefined: no head yet); false when
   * another run moved it first.
   */
  putDigestHead(head: DigestHead, expected: DigestHead | undefined): Promise<boolean>;
}

/** The digest bucket, as the function may use it: put only (DESIGN §16). */
export interface DigestStorePort {
  /** Stores a digest under a key of its own; `exists` when the key already holds an object. */
  put(key: string, text: string): Promise<'stored' | 'exists'>;
}

/** The digest bucket, as `audit verify` reads it. */
export interface DigestReaderPort {
  /** Every version and delete marker under the prefix, with the text of the versions `read` picks. */
  versions(prefix: string, read: (version: DigestVersion) => boolean): Promise<DigestVersion[]>;
}

/** What sealing needs: the records, the bucket, and whose they are. */
export interface SealPorts {
  source: SealSource;
  store: DigestStorePort;
  region: string;
  account?: string;
}
