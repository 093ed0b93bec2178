import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import type { Socket } from "node:net";

/**
 * The password check PGlite lacks. PGlite answers every startup message with AuthenticationOk, so
 * behind pglite-socket any local user with any name and password would be a superuser. This gate
 * speaks the start of the PostgreSQL protocol itself: it reads the startup message, runs
 * SCRAM-SHA-256 (what PostgreSQL uses by default; the password never crosses the socket, and a
 * client's proof cannot be replayed) and only then hands the untouched startup message and the socket
 * to PGlite, whose AuthenticationOk is exactly what the client expects next.
 */

const PROTOCOL_3 = 196_608;
const SSL_REQUEST = 80_877_103;
const GSSENC_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;
/** PostgreSQL's own limit on a startup packet. */
const MAX_STARTUP_LENGTH = 10_000;
/** A SASL message is a few hundred bytes; anything larger is not a client we serve. */
const MAX_SASL_LENGTH = 4_096;
/** PostgreSQL's default iteration count for SCRAM-SHA-256 verifiers. */
const ITERATIONS = 4_096;
const MECHANISM = "SCRAM-SHA-256";

export const DATABASE_USER = "postgres";

/** What the server keeps instead of the password (as PostgreSQL keeps in pg_authid). */
export type ScramVerifier = { salt: Buffer; iterations: number; storedKey: Buffer; serverKey: Buffer };

const hmac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest();

export function scramVerifier(password: string): ScramVerifier {
  const salt = randomBytes(16);
  // SASLprep is the identity for the ASCII passwords this project generates.
  const salted = pbkdf2Sync(password, salt, ITERATIONS, 32, "sha256");
  return { salt, iterations: ITERATIONS, storedKey: createHash("sha256").update(hmac(salted, "Client Key")).digest(), serverKey: hmac(salted, "Server Key") };
}

export class AuthenticationRefused extends Error {}

/** Reads framed messages from a socket that is still in the gate's hands. */
class Reader {
  private buffer = Buffer.alloc(0);
  private waiting: (() => void) | null = null;
  private failure: Error | null = null;
  private readonly onData = (chunk: Buffer) => {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.wake();
  };
  private readonly onEnd = () => this.fail(new AuthenticationRefused("the client closed the connection during authentication"));
  private readonly onError = (error: Error) => this.fail(error);

  constructor(private readonly socket: Socket) {
    socket.on("data", this.onData);
    socket.on("end", this.onEnd);
    socket.on("close", this.onEnd);
    socket.on("error", this.onError);
  }

  fail(error: Error) {
    this.failure ??= error;
    this.wake();
  }

  private wake() {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.();
  }

  private async need(bytes: number): Promise<void> {
    while (this.buffer.length < bytes) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  private take(bytes: number): Buffer {
    const out = this.buffer.subarray(0, bytes);
    this.buffer = this.buffer.subarray(bytes);
    return out;
  }

  /** A message with no type byte (startup, SSL and cancel requests): the whole packet. */
  async untyped(): Promise<Buffer> {
    await this.need(4);
    const length = this.buffer.readInt32BE(0);
    if (length < 8 || length > MAX_STARTUP_LENGTH) throw new AuthenticationRefused("invalid startup packet length");
    await this.need(length);
    return this.take(length);
  }

  /** A typed message: its type and body. */
  async typed(): Promise<{ type: string; body: Buffer }> {
    await this.need(5);
    const length = this.buffer.readInt32BE(1);
    if (length < 4 || length > MAX_SASL_LENGTH) throw new AuthenticationRefused("invalid message length");
    await this.need(1 + length);
    const message = this.take(1 + length);
    return { type: String.fromCharCode(message.readUInt8(0)), body: message.subarray(5) };
  }

  /** Gives the socket back with nothing read past the last message (a client sends nothing before AuthenticationOk). */
  release(): Buffer {
    this.socket.pause();
    this.socket.off("data", this.onData);
    this.socket.off("end", this.onEnd);
    this.socket.off("close", this.onEnd);
    this.socket.off("error", this.onError);
    return this.buffer;
  }
}

function authentication(code: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const message = Buffer.alloc(9 + data.length);
  message.write("R", 0);
  message.writeInt32BE(8 + data.length, 1);
  message.writeInt32BE(code, 5);
  data.copy(message, 9);
  return message;
}

/** A FATAL ErrorResponse, as PostgreSQL sends before closing a refused connection. */
export function fatal(sqlState: string, text: string): Buffer {
  const fields = Buffer.concat([
    ...[
      ["S", "FATAL"],
      ["V", "FATAL"],
      ["C", sqlState],
      ["M", text],
    ].map(([key, value]) => Buffer.from(`${key}${value}\0`, "utf8")),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write("E", 0);
  header.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([header, fields]);
}

function startupParameters(packet: Buffer): Map<string, string> {
  const parts = packet.subarray(8).toString("utf8").split("\0");
  const parameters = new Map<string, string>();
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const [key, value] = [parts[i] ?? "", parts[i + 1] ?? ""];
    if (!key) break; // the empty name that ends the list
    parameters.set(key, value);
  }
  return parameters;
}

function scramAttributes(message: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const part of message.split(",")) {
    const at = part.indexOf("=");
    if (at === 1) attributes.set(part.slice(0, 1), part.slice(2));
  }
  return attributes;
}

/**
 * Authenticates one connection. Resolves to the client's startup message plus anything the client sent
 * after it, for PGlite, with the socket paused; rejects (after telling the client why, when the
 * protocol allows) if the client is not the portal's: another user, no password, a wrong one.
 */
export async function authenticate(socket: Socket, verifier: ScramVerifier): Promise<Buffer> {
  const reader = new Reader(socket);
  try {
    let packet = await reader.untyped();
    for (;;) {
      const code = packet.readInt32BE(4);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        // No TLS on a loopback-only socket; clients then continue in plain text (sslmode=prefer) or give up (require).
        socket.write("N");
        packet = await reader.untyped();
        continue;
      }
      // PGlite has no backend to cancel, and an unauthenticated cancel must not reach it anyway.
      if (code === CANCEL_REQUEST) throw new AuthenticationRefused("cancel requests are not supported");
      if (code !== PROTOCOL_3) {
        socket.write(fatal("0A000", "unsupported frontend protocol"));
        throw new AuthenticationRefused("unsupported frontend protocol");
      }
      break;
    }
    const user = startupParameters(packet).get("user") ?? "";
    const refuse = (why: string) => {
      socket.write(fatal("28P01", `password authentication failed for user "${user}"`));
      return new AuthenticationRefused(why);
    };
    if (user !== DATABASE_USER) throw refuse(`unknown user ${JSON.stringify(user)}`);

    const mechanisms = Buffer.from(`${MECHANISM}\0\0`, "utf8");
    socket.write(authentication(10, mechanisms));

    // SASLInitialResponse: mechanism, then the client-first-message.
    const initial = await reader.typed();
    if (initial.type !== "p") throw refuse("expected a SASL initial response");
    const nul = initial.body.indexOf(0);
    if (nul < 0 || initial.body.subarray(0, nul).toString("utf8") !== MECHANISM) throw refuse("unsupported SASL mechanism");
    const dataLength = initial.body.readInt32BE(nul + 1);
    const clientFirst = initial.body.subarray(nul + 5, nul + 5 + Math.max(dataLength, 0)).toString("utf8");
    // gs2 header: "n,," (no channel binding) or "y,," (client could bind, server offered no -PLUS).
    const gs2 = /^([ny]),(?:a=[^,]*)?,/.exec(clientFirst);
    if (!gs2) throw refuse("unsupported SCRAM channel binding");
    const clientFirstBare = clientFirst.slice(gs2[0].length);
    const clientNonce = scramAttributes(clientFirstBare).get("r");
    if (!clientNonce) throw refuse("SCRAM client nonce missing");

    const nonce = clientNonce + randomBytes(18).toString("base64");
    const serverFirst = `r=${nonce},s=${verifier.salt.toString("base64")},i=${verifier.iterations}`;
    socket.write(authentication(11, Buffer.from(serverFirst, "utf8")));

    // SASLResponse: the client-final-message with its proof.
    const final = await reader.typed();
    if (final.type !== "p") throw refuse("expected a SASL response");
    const clientFinal = final.body.toString("utf8");
    const proofAt = clientFinal.lastIndexOf(",p=");
    if (proofAt < 0) throw refuse("SCRAM proof missing");
    const withoutProof = clientFinal.slice(0, proofAt);
    const attributes = scramAttributes(withoutProof);
    if (attributes.get("c") !== Buffer.from(gs2[0], "utf8").toString("base64")) throw refuse("SCRAM channel binding mismatch");
    if (attributes.get("r") !== nonce) throw refuse("SCRAM nonce mismatch");
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), "base64");
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = hmac(verifier.storedKey, authMessage);
    if (proof.length !== signature.length) throw refuse("wrong password");
    const clientKey = Buffer.from(proof.map((byte, i) => byte ^ signature.readUInt8(i)));
    if (!timingSafeEqual(createHash("sha256").update(clientKey).digest(), verifier.storedKey)) throw refuse("wrong password");

    socket.write(authentication(12, Buffer.from(`v=${hmac(verifier.serverKey, authMessage).toString("base64")}`, "utf8")));
    return Buffer.concat([packet, reader.release()]);
  } catch (error) {
    reader.release();
    throw error;
  }
}
