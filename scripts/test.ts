import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { buildIsStale, buildPortal } from "./lib/build";
import { bin, ROOT, runNode } from "./lib/processes";

/**
 * `npm test`: type check, unit tests (Vitest), then end-to-end tests (Playwright in Debian's
 * Chromium against the production build, the simulated tenant and the database: embedded PGlite,
 * or DATABASE_URL). Ends with one line "N passed, N failed".
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RESULTS = path.join(ROOT, "test-results");

function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const canApt = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (!canApt) {
    console.error(`Chromium is needed for the end-to-end tests: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH.`);
    process.exit(1);
  }
  console.log("Installing Chromium from Debian's packages for the end-to-end tests…");
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

type Tally = { passed: number; failed: number; skipped: number };

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

async function main() {
  ensureChromium();
  rmSync(RESULTS, { recursive: true, force: true });
  const tally: Tally = { passed: 0, failed: 0, skipped: 0 };

  console.log("\n== Type check ==");
  const typecheck = await runNode(path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), ["--noEmit"]);
  if (typecheck !== 0) tally.failed += 1;

  console.log("\n== Unit tests (Vitest) ==");
  const unitJson = path.join(RESULTS, "unit.json");
  await runNode(bin.vitest, ["run", "--reporter=default", "--reporter=json", `--outputFile=${unitJson}`]);
  const unit = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTotalTestSuites: number; success: boolean }>(unitJson);
  if (!unit) tally.failed += 1;
  else {
    tally.passed += unit.numPassedTests;
    tally.failed += unit.numFailedTests + (unit.success || unit.numFailedTests > 0 ? 0 : 1);
    tally.skipped += unit.numPendingTests;
  }

  console.log("\n== End-to-end tests (Playwright, Chromium) ==");
  if (buildIsStale()) await buildPortal();
  const e2eJson = path.join(RESULTS, "e2e.json");
  await runNode(bin.playwright, ["test"], { ...process.env, CHROMIUM_PATH: CHROMIUM });
  const e2e = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number }; errors: unknown[] }>(e2eJson);
  if (!e2e) tally.failed += 1;
  else {
    tally.passed += e2e.stats.expected + e2e.stats.flaky;
    tally.failed += e2e.stats.unexpected + (e2e.errors.length > 0 ? 1 : 0);
    tally.skipped += e2e.stats.skipped;
  }

  console.log("");
  console.log(`${tally.passed} passed, ${tally.failed} failed${tally.skipped ? `, ${tally.skipped} skipped` : ""}`);
  process.exit(tally.failed === 0 && tally.passed > 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
