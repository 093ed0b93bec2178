import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The embedded database (PGlite) accepts only clients that know its password: a random one made once
 * per data folder and kept there, readable by its owner only (docs/database.md). Nothing here reads
 * import.meta, so the Playwright specs (compiled to CommonJS) can import it too.
 */

/** How the server gets its password: the environment, which only the process's owner can read. */
export const PASSWORD_ENV = "EMBEDDED_DATABASE_PASSWORD";

export function passwordFile(dataDir: string): string {
  return path.join(dataDir, "database-password");
}

/** A fresh random password (URL-safe, so it goes into a connection URL as it is). */
export function newPassword(): string {
  return randomBytes(32).toString("base64url");
}

/** The data folder's database password, made on first use; the file is kept at mode 0600. */
export function ensurePassword(dataDir: string): string {
  const file = passwordFile(dataDir);
  try {
    // "wx": two starts at once must not each write a different password.
    writeFileSync(file, `${newPassword()}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  // A copy or an unzip may have widened it; the password is worth only what its file mode is.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return readPassword(dataDir);
}

export function readPassword(dataDir: string): string {
  const file = passwordFile(dataDir);
  if (!existsSync(file)) throw new Error(`${file} does not exist: start the portal once (npm start) to create the embedded database, or set DATABASE_URL.`);
  const password = readFileSync(file, "utf8").trim();
  if (!password) throw new Error(`${file} is empty: delete it and restart the portal to make a new one.`);
  return password;
}

export function embeddedDatabaseUrl(port: number, password: string): string {
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres?sslmode=disable`;
}

/** The URL of the embedded database of the data folder `dataDir`, served on `port`. */
export function embeddedDatabaseUrlOf(dataDir: string, port: number): string {
  return embeddedDatabaseUrl(port, readPassword(dataDir));
}
