/**
 * CIDR arithmetic for the subnet plan and its validators, on top of ipaddr.js parsing.
 *
 * Note 1 - the default plan. For a /16 VPC the plan is the architecture document's:
 * private x.y.(1+i).0/24, public x.y.(101+i).0/24, isolated x.y.(201+i).0/24 for zone i.
 * For other sizes the VPC is cut into 2^k equal blocks, k the smallest giving 3 blocks
 * per zone, and the tiers take consecutive runs: private, then public, then isolated.
 * Blocks smaller than /28 (AWS's minimum subnet) make the plan impossible (INN024).
 */
import ipaddr from 'ipaddr.js';

export interface Block {
  readonly base: number;
  readonly prefix: number;
}

export function parseCidr(cidr: string): Block {
  const [addr, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  const bytes = addr.toByteArray();
  const raw = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  return { base: (raw & mask(prefix)) >>> 0, prefix };
}

const mask = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
const size = (b: Block): number => 2 ** (32 - b.prefix);

export function formatCidr(b: Block): string {
  return `${[24, 16, 8, 0].map((s) => (b.base >>> s) & 255).join('.')}/${b.prefix}`;
}

/** True when the CIDR's address has host bits set (10.10.1.5/24). */
export function hasHostBits(cidr: string): boolean {
  const [addr, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  const bytes = addr.toByteArray();
  const raw = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  return ((raw & ~mask(prefix)) >>> 0) !== 0;
}

export const contains = (outer: Block, inner: Block): boolean =>
  inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);

export const overlaps = (a: Block, b: Block): boolean => a.base < b.base + size(b) && b.base < a.base + size(a);

export interface SubnetPlan {
  readonly public: string[];
  readonly private: string[];
  readonly isolated: string[];
}

/** Note 1. Undefined when the VPC is too small for the zones. */
export function planSubnets(vpcCidr: string, zones: number): SubnetPlan | undefined {
  const vpc = parseCidr(vpcCidr);
  const block = (index: number, prefix: number): string => formatCidr({ base: (vpc.base + index * 2 ** (32 - prefix)) >>> 0, prefix });
  const idx = [...Array(zones).keys()];
  if (vpc.prefix === 16 && zones <= 99) {
    return { private: idx.map((i) => block(1 + i, 24)), public: idx.map((i) => block(101 + i, 24)), isolated: idx.map((i) => block(201 + i, 24)) };
  }
  const k = Math.ceil(Math.log2(3 * zones));
  const prefix = vpc.prefix + k;
  if (prefix > 28) return undefined;
  return { private: idx.map((i) => block(i, prefix)), public: idx.map((i) => block(zones + i, prefix)), isolated: idx.map((i) => block(2 * zones + i, prefix)) };
}
