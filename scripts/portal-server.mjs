// @ts-check
import { createServer } from "node:http";
import path from "node:path";

/**
 * The portal's HTTP server: Next.js's own request handler behind a plain node:http server, for one
 * reason (S21). Next gives route handlers and server actions no access to the socket, and the
 * X-Forwarded-For it passes on is whatever the client wrote. This server puts the TCP peer's address in
 * x-portal-client-ip on every request, after deleting any copy the client sent, so the audit trail's
 * client IP (lib/http/request-context.ts) is the real peer, or a trusted proxy's entry when
 * TRUSTED_PROXY_HOPS says there are proxies in front.
 *
 * Usage: node scripts/portal-server.mjs <port> [--dev]   (scripts/lib/stack.ts starts it)
 */

/** Keep in step with CLIENT_IP_HEADER in lib/http/client-ip.ts. */
const CLIENT_IP_HEADER = "x-portal-client-ip";

const dev = process.argv.includes("--dev");
const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port < 1 || port > 65_535) {
  console.error("Usage: node scripts/portal-server.mjs <port> [--dev]");
  process.exit(2);
}
// As `next start` and `next dev` do: React and Next pick their build from NODE_ENV when first loaded.
process.env.NODE_ENV = dev ? "development" : "production";
const { default: next } = await import("next");

const app = next({ dev, dir: path.join(import.meta.dirname, ".."), port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  delete req.headers[CLIENT_IP_HEADER];
  const peer = req.socket.remoteAddress;
  if (peer) req.headers[CLIENT_IP_HEADER] = peer;
  handle(req, res).catch((/** @type {unknown} */ error) => {
    console.error("request failed", error instanceof Error ? error.name : "unknown");
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
server.listen(port, () => console.log(`Portal listening on port ${port}${dev ? " (development)" : ""}`));

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
