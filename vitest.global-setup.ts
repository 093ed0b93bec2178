import path from "node:path";
import { ensureCertificate } from "./sim/local-secrets";
import { freshTestDatabase } from "./scripts/lib/test-database";

const ROOT = import.meta.dirname;

/**
 * Tests that talk to the simulated Graph over https (the Graph client refuses to send tokens over
 * http) trust the simulator's certificate the way the portal does: through NODE_EXTRA_CA_CERTS, which
 * Node reads when a worker starts, so it is set here before any worker exists.
 */
export default async function setup() {
  const tls = await ensureCertificate(path.join(ROOT, ".data", "vitest"));
  process.env.NODE_EXTRA_CA_CERTS = tls.certPath;
  process.env.SIM_TEST_TLS_DIR = path.dirname(tls.certPath);

  // The unit tests' own database, apart from the Playwright stack's; handed to workers.
  const database = await freshTestDatabase("vitest");
  process.env.TEST_DATABASE_URL = database.url;
  return () => database.stop();
}
