import { createServer, type Socket } from "node:net";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler, PGLiteSocketServer, type PGLiteSocketHandlerOptions } from "@electric-sql/pglite-socket";
import { authenticate, fatal, scramVerifier } from "./database-gate";
import { PASSWORD_ENV } from "./embedded-database-password";

/**
 * The embedded database's server: PGlite behind pglite-socket's connection handler, reachable on
 * 127.0.0.1:<port> only after the password check of database-gate.ts. The password comes from the
 * environment (never the command line, which every local user can read in /proc).
 *
 * `tsx scripts/lib/embedded-database-server.ts -d <dir|memory://> -p <port> [-m <connections>]`
 */
const { values } = parseArgs({
  options: {
    db: { type: "string", short: "d", default: "memory://" },
    port: { type: "string", short: "p" },
    "max-connections": { type: "string", short: "m", default: "10" },
  },
});
const password = process.env[PASSWORD_ENV] ?? "";
if (password.length < 16) {
  console.error(`${PASSWORD_ENV} must hold the database password (16 characters or more).`);
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
  console.error("-p <port> is required.");
  process.exit(2);
}
const maxConnections = Number(values["max-connections"]);
// A client that never finishes authenticating is dropped after PostgreSQL's default authentication_timeout.
const AUTHENTICATION_TIMEOUT_MS = 60_000;
const MAX_PENDING = 64;

const verifier = scramVerifier(password);
delete process.env[PASSWORD_ENV];
const db = new PGlite(values.db);

// pglite-socket's server owns the query queue that serializes every connection's messages into the
// one PGlite session; its own listener accepts anyone, so it is never started: authenticated sockets
// are handed to handlers on that queue instead. The queue is not exported, hence the read below,
// checked so that a pglite-socket upgrade which moves it fails here and not silently.
const pgliteServer = new PGLiteSocketServer({ db, maxConnections });
const queryQueue = (pgliteServer as unknown as { queryQueue?: PGLiteSocketHandlerOptions["queryQueue"] }).queryQueue;
if (!queryQueue || typeof queryQueue.enqueue !== "function") {
  console.error("This @electric-sql/pglite-socket version keeps no queryQueue on its server: the embedded database server needs updating.");
  process.exit(2);
}

const handlers = new Set<PGLiteSocketHandler>();
let pending = 0;

function refuse(socket: Socket, message?: Buffer) {
  if (message && socket.writable) socket.end(message, () => socket.destroy());
  else socket.destroy();
}

async function onConnection(socket: Socket) {
  if (pending >= MAX_PENDING) return refuse(socket);
  pending += 1;
  const timer = setTimeout(() => socket.destroy(), AUTHENTICATION_TIMEOUT_MS);
  let startup: Buffer;
  try {
    startup = await authenticate(socket, verifier);
  } catch {
    // The gate has already told the client why, where the protocol allows.
    return refuse(socket);
  } finally {
    clearTimeout(timer);
    pending -= 1;
  }
  if (handlers.size >= maxConnections) return refuse(socket, fatal("53300", "sorry, too many clients already"));
  const handler = new PGLiteSocketHandler({ queryQueue: queryQueue!, closeOnDetach: true });
  handlers.add(handler);
  const forget = () => handlers.delete(handler);
  handler.addEventListener("close", forget);
  handler.addEventListener("error", forget);
  await handler.attach(socket);
  // The startup message goes to PGlite as the client sent it; PGlite's AuthenticationOk follows the gate's SASL final.
  socket.unshift(startup);
  socket.resume();
}

const server = createServer((socket) => void onConnection(socket));
server.on("error", (error) => {
  console.error(`embedded database: ${error.message}`);
  process.exit(1);
});
// The port opens once PGlite is ready, so a client that can connect can also query.
db.waitReady.then(
  () => server.listen(port, "127.0.0.1", () => console.log(`embedded database listening on 127.0.0.1:${port}`)),
  (error: unknown) => {
    console.error(`embedded database: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  server.close();
  await Promise.all([...handlers].map((handler) => handler.detach(true)));
  // Closing PGlite flushes its data directory; a killed process could leave it to recovery.
  await db.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
