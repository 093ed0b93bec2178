// @ts-check
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { format } from "node:util";
import pino from "pino";

/**
 * The portal's HTTP server: Next.js's own request handler behind a plain node:http server, for what
 * Next gives route handlers no access to:
 * - the client's address (S21). Next gives route handlers and server actions no access to the socket,
 *   and the X-Forwarded-For it passes on is whatever the client wrote. This server puts the TCP peer's
 *   address in x-portal-client-ip on every request, after deleting any copy the client sent, so the
 *   audit trail's client IP (lib/http/request-context.ts) is the real peer, or a trusted proxy's entry
 *   when TRUSTED_PROXY_HOPS says there are proxies in front;
 * - a request id per request: minted here (a client cannot choose it), passed on as x-request-id,
 *   returned as X-Request-Id, and carried by every log line written while the request is handled
 *   (lib/log reads it from the same AsyncLocalStorage);
 * - a graceful shutdown: on SIGTERM or SIGINT it stops accepting connections, reports not ready
 *   (/api/ready), lets requests in flight finish, waits for tenant changes in flight and their audit
 *   rows and for job runs (lib/jobs/lifecycle.ts), then exits 0 — or 1 after SHUTDOWN_TIMEOUT_SECONDS.
 * Logs are JSON lines (pino), one per request, never with a query string (codes, states live there).
 *
 * Usage: node scripts/portal-server.mjs <port> [--dev]   (scripts/lib/stack.ts starts it)
 *
 * In a standalone build (npm run build:standalone, scripts/build-standalone.mjs) this file sits in the
 * folder's scripts/ beside standalone-config.json, the app's configuration as built: the folder has no
 * next.config.js, so the configuration is handed to Next as Next's own standalone server.js hands it.
 */

/** Keep in step with CLIENT_IP_HEADER in lib/http/client-ip.ts. */
const CLIENT_IP_HEADER = "x-portal-client-ip";
const REQUEST_ID_HEADER = "x-request-id";
/** Keep in step with lib/log/index.ts and lib/jobs/lifecycle.ts. */
const REQUEST_CONTEXT = Symbol.for("admin-consent-portal.request-context");
const LIFECYCLE = Symbol.for("admin-consent-portal.lifecycle");

const log = pino({
  base: { service: "admin-consent-portal", pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
});

const dev = process.argv.includes("--dev");
const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port < 1 || port > 65_535) {
  log.error("Usage: node scripts/portal-server.mjs <port> [--dev]");
  process.exit(2);
}
const shutdownTimeoutMs = 1000 * (Number(process.env.SHUTDOWN_TIMEOUT_SECONDS) || 25);

/** @type {Record<symbol, any>} */
const shared = /** @type {any} */ (globalThis);
/** @type {AsyncLocalStorage<{ requestId: string }>} */
const requestContext = (shared[REQUEST_CONTEXT] ??= new AsyncLocalStorage());
/** What the portal (instrumentation.ts) hands this server: the drain of its in-flight work. */
const lifecycle = (shared[LIFECYCLE] ??= { draining: false });

// Next's own start-up lines as JSON too, until instrumentation.ts routes console.* through lib/log (which
// redacts like the audit trail); the same JWT and Bearer shapes are removed here meanwhile.
const scrub = (/** @type {string} */ text) => text.replace(/eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){2,}/g, "[redacted]").replace(/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, "Bearer [redacted]");
for (const [method, level] of /** @type {const} */ ([["debug", "debug"], ["log", "info"], ["info", "info"], ["warn", "warn"], ["error", "error"]])) {
  console[method] = (/** @type {unknown[]} */ ...args) => log[level](scrub(format(...args)));
}

// Node's own warnings (deprecations, experimental features) as JSON lines as well, instead of stderr text.
process.removeAllListeners("warning");
process.on("warning", (warning) => log.warn({ warning: warning.name }, scrub(warning.message)));

// As `next start` and `next dev` do: React and Next pick their build from NODE_ENV when first loaded.
process.env.NODE_ENV = dev ? "development" : "production";
const dir = path.join(import.meta.dirname, "..");
const standaloneConfigFile = path.join(import.meta.dirname, "standalone-config.json");
/** @type {Record<string, unknown> | undefined} */
const standaloneConfig = existsSync(standaloneConfigFile) ? JSON.parse(readFileSync(standaloneConfigFile, "utf8")) : undefined;
if (standaloneConfig) {
  // Next reads it when it loads its configuration (instead of a next.config.js), and resolves the build's
  // relative paths from the working directory, as with its own server.js.
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(standaloneConfig);
  process.chdir(dir);
}
const { default: next } = await import("next");

const app = next({ dev, dir, port, ...(standaloneConfig ? { conf: standaloneConfig } : {}) });
const handle = app.getRequestHandler();
await app.prepare();

/** The path without its query string: authorization codes and states travel there. */
function pathOf(/** @type {string | undefined} */ url) {
  return (url ?? "/").split("?")[0];
}

const server = createServer((req, res) => {
  delete req.headers[CLIENT_IP_HEADER];
  const peer = req.socket.remoteAddress;
  if (peer) req.headers[CLIENT_IP_HEADER] = peer;
  const requestId = randomUUID();
  req.headers[REQUEST_ID_HEADER] = requestId;
  res.setHeader("X-Request-Id", requestId);
  const started = process.hrtime.bigint();
  res.once("close", () => {
    const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
    log.info({ requestId, method: req.method, path: pathOf(req.url), status: res.statusCode, ms, ...(res.writableFinished ? {} : { aborted: true }) }, "request");
  });
  requestContext.run({ requestId }, () =>
    handle(req, res).catch((/** @type {unknown} */ error) => {
      log.error({ requestId, error: error instanceof Error ? error.name : "unknown" }, "request failed");
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    }),
  );
});
server.listen(port, () => log.info({ port, dev }, `Portal listening on port ${port}${dev ? " (development)" : ""}`));

let stopping = false;
async function stop(/** @type {string} */ signal) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "shutting down: no new connections; finishing requests, changes and job runs in flight");
  const timer = setTimeout(() => {
    log.error({ timeoutMs: shutdownTimeoutMs }, "shutdown timed out with work still in flight");
    process.exit(1);
  }, shutdownTimeoutMs);
  timer.unref();
  lifecycle.draining = true;
  const requestsDone = new Promise((resolve) => server.close(() => resolve(undefined)));
  server.closeIdleConnections();
  try {
    // Requests (a change's response comes after its outcome row) and what runs on without one: jobs,
    // work after a response. The drain stops the job timers at once, so no new run starts meanwhile.
    await Promise.all([requestsDone, lifecycle.drain?.()]);
    log.info("shut down cleanly");
    process.exit(0);
  } catch (error) {
    log.error({ error: error instanceof Error ? error.name : "unknown" }, "shutdown failed");
    process.exit(1);
  }
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
