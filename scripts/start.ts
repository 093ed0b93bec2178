import path from "node:path";
import users from "../sim/fixtures/users.json";
import { buildIsStale, buildPortal } from "./lib/build";
import { ROOT } from "./lib/processes";
import { startStack } from "./lib/stack";

/**
 * `npm start`: builds if needed, then runs the database, the simulated tenant (unless a real tenant is
 * configured) and the portal. `--dev` runs `next dev`. Ports come from PORT, SIM_LOGIN_PORT,
 * SIM_GRAPH_PORT, SIM_SMTP_PORT (the simulated mail sink) and DATABASE_PORT.
 */
async function main() {
  const dev = process.argv.includes("--dev");
  const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  if (!dev && buildIsStale()) await buildPortal();
  const stack = await startStack({
    portalPort: port("PORT", 3000),
    loginPort: port("SIM_LOGIN_PORT", 3001),
    graphPort: port("SIM_GRAPH_PORT", 3002),
    smtpPort: port("SIM_SMTP_PORT", 3003),
    databasePort: port("DATABASE_PORT", 5433),
    dataDir: path.resolve(process.env.PORTAL_DATA_DIR ?? path.join(ROOT, ".data")),
    freshDatabase: process.argv.includes("--fresh-database"),
    dev,
  });
  const shutdown = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);

  console.log(`\nAdmin Consent Portal is running at ${stack.portalUrl}`);
  console.log(stack.databaseUrl.includes("127.0.0.1") && !process.env.DATABASE_URL ? "Database: embedded PGlite (.data/pglite)" : "Database: DATABASE_URL");
  if (stack.simulated) {
    console.log("Tenant: simulated. Sign in as any of these seeded accounts:");
    for (const user of users) console.log(`  ${user.roleLabel.padEnd(32)} ${user.displayName} <${user.userPrincipalName}>`);
    if (stack.sentMailUrl) console.log(`Mail the portal sends (to reviewers and requesters) is listed at ${stack.sentMailUrl}`);
  } else {
    console.log("Tenant: real (AUTH_MICROSOFT_ENTRA_ID_ISSUER).");
  }
  console.log("Press Ctrl+C to stop.\n");

  // If any part stops on its own, stop the rest: a half-running portal helps nobody.
  const first = await Promise.race(stack.children.map((child) => child.exited.then((code) => ({ child, code }))));
  console.error(`${first.child.name} stopped (exit code ${first.code}); stopping everything.`);
  await stack.stop();
  process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
