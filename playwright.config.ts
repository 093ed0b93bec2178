import { defineConfig } from "@playwright/test";

/** Ports of the test stack, apart from `npm start`'s so both can run at once. */
export const TEST_PORTS = { portal: Number(process.env.TEST_PORTAL_PORT ?? 3100), login: Number(process.env.TEST_LOGIN_PORT ?? 3101), graph: Number(process.env.TEST_GRAPH_PORT ?? 3102), smtp: Number(process.env.TEST_SMTP_PORT ?? 3103), database: Number(process.env.TEST_DATABASE_PORT ?? 5434) };

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  timeout: 30_000,
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: `http://localhost:${TEST_PORTS.portal}`,
    trace: "on-first-retry",
    // The simulator serves https with its own certificate.
    ignoreHTTPSErrors: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "node node_modules/tsx/dist/cli.mjs scripts/start.ts --fresh-database",
    url: `http://localhost:${TEST_PORTS.portal}/api/health`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(TEST_PORTS.portal),
      SIM_LOGIN_PORT: String(TEST_PORTS.login),
      SIM_GRAPH_PORT: String(TEST_PORTS.graph),
      SIM_SMTP_PORT: String(TEST_PORTS.smtp),
      DATABASE_PORT: String(TEST_PORTS.database),
      PORTAL_DATA_DIR: ".data/test",
      // No scheduled drift import: tests compare the audit trail before and after what they do.
      DRIFT_IMPORT_MINUTES: "0",
    },
  },
});
