import { createServer } from "node:https";
import path from "node:path";
import { createLocalJWKSet } from "jose";
import { realTenantRequested } from "../lib/env";
import { createGraphHandler, loadTenantFromFixtures } from "./graph";
import { createIssuer } from "./issuer/provider";
import { createLoginHandler } from "./issuer/server";
import { controlSecret, ensureCertificate } from "./local-secrets";
import { onEntraMail } from "./graph/state/entra-mail";
import { createMailSink } from "./mail/sink";

/**
 * Starts the simulated Entra tenant: the login host (OIDC issuer, consent screens) and the Microsoft
 * Graph host, sharing one in-memory tenant, and the mail sink the portal's notifications (and the
 * simulated Entra's own consent-request notices) go to.
 * Configured by scripts/start.ts through SIM_LOGIN_PORT, SIM_GRAPH_PORT, SIM_SMTP_PORT, SIM_PORTAL_URLS
 * and SIM_DATA_DIR.
 */
async function main() {
  if (realTenantRequested(process.env)) {
    // S18: the simulator must never run beside a real tenant's configuration.
    console.error("The simulated tenant refuses to start: a real tenant is configured (AUTH_MICROSOFT_ENTRA_ID_*).");
    process.exit(1);
  }
  const loginPort = Number(process.env.SIM_LOGIN_PORT ?? 3001);
  const graphPort = Number(process.env.SIM_GRAPH_PORT ?? 3002);
  const smtpPort = Number(process.env.SIM_SMTP_PORT ?? 3003);
  const dataDir = path.resolve(process.env.SIM_DATA_DIR ?? ".data");
  const portalUrls = (process.env.SIM_PORTAL_URLS ?? "http://localhost:3000").split(",").map((url) => url.trim().replace(/\/$/, ""));

  const tls = await ensureCertificate(dataDir);
  const tenant = loadTenantFromFixtures();
  const issuer = await createIssuer({ origin: `https://127.0.0.1:${loginPort}`, portalUrls });
  const secret = controlSecret(dataDir);
  const graph = createGraphHandler({
    tenant,
    issuer: issuer.issuer,
    keys: createLocalJWKSet(issuer.publicJwks as Parameters<typeof createLocalJWKSet>[0]),
    controlSecret: secret,
  });
  const mail = createMailSink();
  // Entra's own admin-consent-workflow mails (to reviewers, to requesters) land in the same sink.
  onEntraMail(tenant, (notice) => mail.deliverEntraMail(notice));
  const login = createServer({ cert: tls.cert, key: tls.key }, createLoginHandler(issuer, tenant, portalUrls, mail, { controlSecret: secret }));
  const graphServer = createServer({ cert: tls.cert, key: tls.key }, graph);
  await Promise.all([
    new Promise<void>((resolve) => login.listen(loginPort, "127.0.0.1", resolve)),
    new Promise<void>((resolve) => graphServer.listen(graphPort, "127.0.0.1", resolve)),
    mail.listen(smtpPort, "127.0.0.1"),
  ]);
  console.log(`simulated tenant: issuer ${issuer.issuer}`);
  console.log(`simulated tenant: Microsoft Graph https://127.0.0.1:${graphPort}/v1.0`);
  console.log(`simulated tenant: try signing in to an app as a user at https://127.0.0.1:${loginPort}/`);
  console.log(`simulated tenant: mail sink smtp://127.0.0.1:${smtpPort}, sent mail at https://127.0.0.1:${loginPort}/_mail`);
  console.log("simulated tenant: ready");

  const stop = () => {
    void mail.close();
    login.close();
    graphServer.close(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
