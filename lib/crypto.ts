import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * AES-256-GCM sealing for secrets kept at rest (Graph tokens). The key is derived from AUTH_SECRET
 * with HKDF and a purpose label, so the same secret never serves two purposes.
 */
function keyFor(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "admin-consent-portal", purpose, 32));
}

export function seal(plaintext: string, secret: string, purpose: string): Uint8Array<ArrayBuffer> {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(secret, purpose), iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), body]));
}

/** Returns the plaintext, or throws if the data was altered or sealed with another key. */
export function unseal(sealed: Uint8Array, secret: string, purpose: string): string {
  const data = Buffer.from(sealed);
  const decipher = createDecipheriv("aes-256-gcm", keyFor(secret, purpose), data.subarray(0, 12));
  decipher.setAuthTag(data.subarray(12, 28));
  return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString("utf8");
}
