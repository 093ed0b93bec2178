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
export function seededGuid(rand: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join("");
  const variant = "89ab"[Math.floor(rand() * 4)] ?? "8";
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}

export function seededOpaqueId(rand: () => number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  let s = "";
  for (let i = 0; i < 43; i++) s += alphabet[Math.floor(rand() * 64)] ?? "A";
  return s;
}

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
