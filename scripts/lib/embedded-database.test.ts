import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedDatabaseUrl, ensurePassword, passwordFile, readPassword } from "./embedded-database";
import { freePort, stopAll, type Child } from "./processes";
import { startEmbeddedDatabase } from "./stack";

// S22: the embedded database, started as `npm start` starts it, lets in only a client that knows the
// password kept in its data folder. Before, PGlite made anyone on the machine a superuser who could
// drop the audit table's append-only trigger.

let dataDir: string;
let port: number;
let url: string;
const children: Child[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "embedded-database-"));
  port = await freePort();
  url = await startEmbeddedDatabase({ dataDir, databasePort: port, freshDatabase: true }, children);
}, 90_000);

afterAll(async () => {
  await stopAll(children);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Connects with `config` and runs a query; resolves to what happened. */
async function attempt(config: pg.ClientConfig): Promise<{ ok: true; user: string } | { ok: false; code: string | undefined; message: string }> {
  const client = new pg.Client({ host: "127.0.0.1", port, database: "postgres", ssl: false, ...config });
  client.on("error", () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ user: string }>("SELECT current_user AS user");
    return { ok: true, user: result.rows[0]!.user };
  } catch (error) {
    const failure = error as { code?: string; message: string };
    return { ok: false, code: failure.code, message: failure.message };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function frame(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0);
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

function startupMessage(user: string): Buffer {
  const body = Buffer.from(`user\0${user}\0database\0postgres\0\0`, "utf8");
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(196_608, 4);
  return Buffer.concat([head, body]);
}

/** Typed server messages in `bytes`, as [type, body]. */
function messages(bytes: Buffer): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (let at = 0; at + 5 <= bytes.length; ) {
    const length = bytes.readInt32BE(at + 1);
    out.push([String.fromCharCode(bytes.readUInt8(at)), bytes.subarray(at + 5, at + 1 + length)]);
    at += 1 + length;
  }
  return out;
}

/**
 * A client that skips authentication: sends its startup message, then, whatever the server asks,
 * a query. Resolves to everything the server sent until it closed the connection.
 */
function skipAuthentication(user: string, sql: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const received: Buffer[] = [];
    let queried = false;
    socket.on("connect", () => socket.write(startupMessage(user)));
    socket.on("data", (chunk) => {
      received.push(chunk);
      if (!queried) {
        queried = true;
        socket.write(frame("Q", Buffer.from(`${sql}\0`, "utf8")));
      }
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(received)));
  });
}

/**
 * A client without a password: goes through SCRAM-SHA-256 up to its final message and sends an empty
 * proof. Resolves to everything the server sent until it closed the connection.
 */
function emptyProof(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const received: Buffer[] = [];
    const clientFirstBare = "n=,r=abcdefghijklmnopqrstuvwx";
    let answered = 0;
    socket.on("connect", () => socket.write(startupMessage("postgres")));
    socket.on("data", (chunk) => {
      received.push(chunk);
      const sent = messages(Buffer.concat(received));
      if (answered === 0 && sent.length >= 1) {
        answered = 1;
        const data = Buffer.from(`n,,${clientFirstBare}`, "utf8");
        const length = Buffer.alloc(4);
        length.writeInt32BE(data.length);
        socket.write(frame("p", Buffer.concat([Buffer.from("SCRAM-SHA-256\0", "utf8"), length, data])));
      } else if (answered === 1 && sent.length >= 2) {
        answered = 2;
        const serverFirst = sent[1]![1].subarray(4).toString("utf8");
        const nonce = /r=([^,]+)/.exec(serverFirst)?.[1] ?? "";
        socket.write(frame("p", Buffer.from(`c=biws,r=${nonce},p=`, "utf8")));
      } else if (answered === 2 && sent.length >= 3) {
        socket.end(); // let in (a failure the assertion reports): a client would now query, this one leaves
      }
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(received)));
  });
}

describe("the embedded database started as the stack starts it", () => {
  it("keeps its password in the data folder, readable by its owner only", () => {
    const mode = statSync(passwordFile(dataDir)).mode & 0o777;
    expect(mode).toBe(0o600);
    const password = readPassword(dataDir);
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(url).toBe(embeddedDatabaseUrl(port, password));
  });

  it("lets in the portal's user with the data folder's password", async () => {
    const outcome = await attempt({ connectionString: url });
    expect(outcome).toEqual({ ok: true, user: "postgres" });
  });

  it("refuses a wrong password", async () => {
    const outcome = await attempt({ user: "postgres", password: `${readPassword(dataDir)}x` });
    expect(outcome).toMatchObject({ ok: false, code: "28P01" });
  });

  it("refuses the password every PGlite socket used to take", async () => {
    expect(await attempt({ user: "postgres", password: "postgres" })).toMatchObject({ ok: false, code: "28P01" });
  });

  it("refuses a client that answers SCRAM with no proof of a password", async () => {
    const sent = messages(await emptyProof());
    expect(sent.map(([type, body]) => (type === "R" ? `R${body.readInt32BE(0)}` : type))).toEqual(["R10", "R11", "E"]);
    expect(sent[2]?.[1].toString("utf8")).toContain("28P01");
  });

  it("refuses another user, even with the right password", async () => {
    expect(await attempt({ user: "mallory", password: readPassword(dataDir) })).toMatchObject({ ok: false, code: "28P01" });
  });

  it("runs nothing for a client that skips authentication, and closes the connection", async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("CREATE TABLE IF NOT EXISTS gate_canary (n int)");
    const sent = messages(await skipAuthentication("postgres", "DROP TABLE gate_canary"));
    const types = sent.map(([type]) => type);
    // Asked for SCRAM-SHA-256, then a FATAL error: no AuthenticationOk, no ReadyForQuery, no result.
    expect(sent[0]?.[0]).toBe("R");
    expect(sent[0]?.[1].readInt32BE(0)).toBe(10);
    expect(sent[0]?.[1].subarray(4).toString("utf8")).toContain("SCRAM-SHA-256");
    expect(types).toEqual(["R", "E"]);
    expect(sent[1]?.[1].toString("utf8")).toContain("28P01");
    // The query never ran: the table is still there.
    try {
      const result = await client.query("SELECT to_regclass('gate_canary') IS NOT NULL AS present");
      expect(result.rows).toEqual([{ present: true }]);
    } finally {
      await client.end();
    }
  });

  it("serves several authenticated connections at once, each seeing the others' writes", async () => {
    const a = new pg.Client({ connectionString: url });
    const b = new pg.Client({ connectionString: url });
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.query("CREATE TABLE IF NOT EXISTS gate_check (n int)");
      await a.query("INSERT INTO gate_check VALUES (7)");
      const seen = await b.query<{ n: number }>("SELECT n FROM gate_check");
      expect(seen.rows).toEqual([{ n: 7 }]);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });
});

describe("the data folder's password file", () => {
  it("is made once and then kept, and narrowed back to 0600 if it was widened", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "embedded-database-password-"));
    try {
      const first = ensurePassword(dir);
      expect(ensurePassword(dir)).toBe(first);
      chmodSync(passwordFile(dir), 0o644);
      expect(ensurePassword(dir)).toBe(first);
      expect(statSync(passwordFile(dir)).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("tells how to get one when it is missing or empty", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "embedded-database-password-"));
    try {
      expect(() => readPassword(dir)).toThrow(/npm start/);
      writeFileSync(passwordFile(dir), "\n", { mode: 0o600 });
      expect(() => readPassword(dir)).toThrow(/empty/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
