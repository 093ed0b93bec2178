import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.join(import.meta.dirname, "..");

describe("the simulator's start (S18)", () => {
  it("refuses to start when a real tenant is configured", () => {
    const result = spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "sim/main.ts"], {
      cwd: root,
      env: { ...process.env, AUTH_MICROSOFT_ENTRA_ID_ID: "11111111-2222-4333-8444-555555555555", SIM_LOGIN_PORT: "0", SIM_GRAPH_PORT: "0" },
      encoding: "utf8",
      timeout: 15_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("refuses to start: a real tenant is configured");
  });
});
