import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes, X509Certificate } from "node:crypto";
import path from "node:path";
import selfsigned from "selfsigned";

export type Certificate = { cert: string; key: string; certPath: string };

/**
 * A self-signed certificate for 127.0.0.1, made once per machine and kept in `dir` (git-ignored).
 * The simulator must speak https: Auth.js's Entra provider, MSAL and the Graph client refuse http.
 * The portal trusts it through NODE_EXTRA_CA_CERTS, which scripts/start.ts sets.
 */
export async function ensureCertificate(dir: string): Promise<Certificate> {
  const certPath = path.join(dir, "sim-cert.pem");
  const keyPath = path.join(dir, "sim-key.pem");
  if (existsSync(certPath) && existsSync(keyPath)) {
    const cert = readFileSync(certPath, "utf8");
    const validTo = new Date(new X509Certificate(cert).validTo);
    if (validTo.getTime() - Date.now() > 24 * 3600 * 1000) {
      return { cert, key: readFileSync(keyPath, "utf8"), certPath };
    }
  }
  mkdirSync(dir, { recursive: true });
  const notAfterDate = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  const pems = await selfsigned.generate([{ name: "commonName", value: "Simulated Entra tenant (127.0.0.1)" }], {
    keySize: 2048,
    notAfterDate,
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] },
    ],
  });
  writeFileSync(certPath, pems.cert);
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  return { cert: pems.cert, key: pems.private, certPath };
}

/** The shared secret for the simulator's /_sim control endpoints (tests read it from the same file). */
export function controlSecret(dir: string): string {
  const file = path.join(dir, "sim-control-secret");
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(24).toString("base64url"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}
