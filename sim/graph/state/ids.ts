import { randomBytes, randomUUID } from "node:crypto";

export const newGuid = (): string => randomUUID();

/**
 * Grants and app role assignments have opaque base64url ids in real Graph (43 chars), not GUIDs;
 * the simulator mimics that so clients never assume a GUID.
 */
export const newOpaqueId = (): string => randomBytes(32).toString("base64url").slice(0, 43);

/** Small deterministic PRNG (mulberry32): the generator and fault rates must be reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A GUID-shaped string drawn from a seeded PRNG (version nibble 4, variant 8–b). */
// Both build one flat string from char codes: a generated tenant holds hundreds of thousands of ids, and
// strings concatenated a character at a time stay ropes of 43 pieces, which cost memory and GC time.
const HEX = [..."0123456789abcdef"].map((c) => c.charCodeAt(0));
const OPAQUE = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].map((c) => c.charCodeAt(0));
const DASH = "-".charCodeAt(0);

export function seededGuid(rand: () => number): string {
  // the variant is drawn first, then the hex digits left to right (the ids of every generated tenant depend on this order)
  const variant = "89ab".charCodeAt(Math.floor(rand() * 4));
  const codes = new Array<number>(36);
  let i = 0;
  const hex = (n: number) => {
    for (let k = 0; k < n; k++) codes[i++] = HEX[Math.floor(rand() * 16)]!;
  };
  hex(8); codes[i++] = DASH;
  hex(4); codes[i++] = DASH;
  codes[i++] = HEX[4]!; hex(3); codes[i++] = DASH;
  codes[i++] = variant; hex(3); codes[i++] = DASH;
  hex(12);
  return String.fromCharCode(...codes);
}

export function seededOpaqueId(rand: () => number): string {
  const codes = new Array<number>(43);
  for (let i = 0; i < 43; i++) codes[i] = OPAQUE[Math.floor(rand() * 64)]!;
  return String.fromCharCode(...codes);
}

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
