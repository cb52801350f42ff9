import ipaddr from 'ipaddr.js';
import { canonicalCidr, isCidr } from './cidr';

/**
 * CIDR aggregation: the fewest blocks that cover exactly the addresses of the given ones. A block
 * inside another is dropped, and two sibling blocks (the two halves of one block one bit shorter)
 * become that block, repeatedly. Nothing is widened: every address covered before is covered
 * after, and no other. The order is kept: a merged block takes the place of the earlier half.
 */
export function aggregateCidrs(cidrs: readonly string[]): string[] {
  let blocks = withoutNested(dedupe(cidrs.filter(isCidr).map(toBlock)));
  for (;;) {
    const merged = mergeOneSiblingPair(blocks);
    if (!merged) return blocks.map(toCidr);
    blocks = withoutNested(merged);
  }
}

/** `ipv4` or `ipv6`; undefined for text that is not a CIDR block. */
export function cidrFamily(cidr: string): 'ipv4' | 'ipv6' | undefined {
  return isCidr(cidr) ? toBlock(cidr).family : undefined;
}

interface Block {
  family: 'ipv4' | 'ipv6';
  /** The network address as a number. */
  network: bigint;
  prefix: number;
}

const BITS = { ipv4: 32, ipv6: 128 } as const;

function toBlock(cidr: string): Block {
  const [address, prefix] = ipaddr.parseCIDR(cidr);
  const family = address.kind();
  let network = 0n;
  for (const byte of address.toByteArray()) network = (network << 8n) | BigInt(byte);
  const hostBits = BigInt(BITS[family] - prefix);
  return { family, network: (network >> hostBits) << hostBits, prefix };
}

function toCidr(block: Block): string {
  const bytes: number[] = [];
  let value = block.network;
  for (let i = 0; i < BITS[block.family] / 8; i++) {
    bytes.unshift(Number(value & 0xffn));
    value >>= 8n;
  }
  return canonicalCidr(`${ipaddr.fromByteArray(bytes).toString()}/${block.prefix}`);
}

function contains(outer: Block, inner: Block): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  const hostBits = BigInt(BITS[outer.family] - outer.prefix);
  return inner.network >> hostBits === outer.network >> hostBits;
}

function dedupe(blocks: Block[]): Block[] {
  const seen = new Set<string>();
  return blocks.filter((b) => {
    const key = `${b.family}/${b.network}/${b.prefix}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function withoutNested(blocks: Block[]): Block[] {
  return blocks.filter((b, i) => !blocks.some((o, j) => j !== i && contains(o, b) && !sameBlock(o, b)));
}

function sameBlock(a: Block, b: Block): boolean {
  return a.family === b.family && a.network === b.network && a.prefix === b.prefix;
}

/** The list with one pair of siblings replaced by their parent (at the earlier one's place), or undefined. */
function mergeOneSiblingPair(blocks: Block[]): Block[] | undefined {
  for (let i = 0; i < blocks.length; i++) {
    const a = blocks[i] as Block;
    if (a.prefix === 0) continue;
    const bit = 1n << BigInt(BITS[a.family] - a.prefix);
    const j = blocks.findIndex(
      (b, index) =>
        index !== i && b.family === a.family && b.prefix === a.prefix && b.network === (a.network ^ bit),
    );
    if (j < 0) continue;
    const parent: Block = { family: a.family, network: a.network & ~bit, prefix: a.prefix - 1 };
    return blocks.flatMap((b, index) =>
      index === Math.min(i, j) ? [parent] : index === Math.max(i, j) ? [] : [b],
    );
  }
  return undefined;
}
