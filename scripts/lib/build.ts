import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { bin, ROOT, runNode } from "./processes";

const SOURCES = ["app", "components", "lib", "prisma", "sim/fixtures", "public", "auth.ts", "proxy.ts", "instrumentation.ts", "next.config.js", "postcss.config.mjs", "package.json", "tsconfig.json"];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target).reduce((newest, name) => Math.max(newest, newestMtime(path.join(target, name))), stat.mtimeMs);
}

/** True when there is no production build or a source file is newer than it. */
export function buildIsStale(): boolean {
  const buildId = path.join(ROOT, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.some((source) => newestMtime(path.join(ROOT, source)) > built);
}

export async function buildPortal(): Promise<void> {
  console.log("Building the portal (next build)…");
  const code = await runNode(bin.next, ["build"], { ...process.env, NEXT_TELEMETRY_DISABLED: "1" });
  if (code !== 0) throw new Error("next build failed (see above).");
}
