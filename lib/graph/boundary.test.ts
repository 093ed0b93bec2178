import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// lib/graph is the only code that knows Graph's URLs, filters and headers (STYLE.md): everything else
// calls its typed functions, and pages and components receive what those read as data.

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const GRAPH_DIR = path.join(ROOT, "lib", "graph");
const SOURCE = /\.(ts|tsx|mts|mjs|js)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name.startsWith(".") ? [] : sourceFiles(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

const relative = (file: string) => path.relative(ROOT, file);
const outsideGraph = (file: string) => !file.startsWith(GRAPH_DIR + path.sep);

/** Files under `dirs` whose text matches `pattern`, as repository paths with the offending lines. */
function offenders(dirs: string[], pattern: RegExp, keep: (file: string) => boolean = () => true): string[] {
  return dirs
    .flatMap((dir) => sourceFiles(path.join(ROOT, dir)))
    .filter(keep)
    .flatMap((file) => {
      const lines = readFileSync(file, "utf8")
        .split("\n")
        .flatMap((line, i) => (pattern.test(line) ? [`${relative(file)}:${i + 1}`] : []));
      return lines;
    });
}

/** An import of lib/graph (static, type-only, re-export or dynamic), by alias or relative path. */
const GRAPH_IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)["'](?:@\/lib\/graph|(?:\.\.?\/)+(?:lib\/)?graph)(?:\/[^"']*)?["']/;

describe("the Microsoft Graph boundary", () => {
  it("finds what it looks for (the scan itself works)", () => {
    expect(offenders(["lib/graph"], /\.api\(/).length).toBeGreaterThan(0);
    expect(GRAPH_IMPORT.test(`import type { GraphCallRecord } from "@/lib/graph/middleware";`)).toBe(true);
    expect(GRAPH_IMPORT.test(`const { appOnlyGraph } = await import("@/lib/graph/app-only");`)).toBe(true);
    expect(GRAPH_IMPORT.test(`import { listAll } from "../../lib/graph/paging";`)).toBe(true);
    expect(GRAPH_IMPORT.test(`import { TenantSummary } from "@/components/tenant-summary";`)).toBe(false);
  });

  it("no Graph request is built outside lib/graph (no `.api(` in app/, components/, lib/ or scripts/)", () => {
    expect(offenders(["app", "components", "lib", "scripts"], /\.api\(/, outsideGraph)).toEqual([]);
  });

  it("no Graph URL is handed to the pager or $batch from outside lib/graph", () => {
    const rawUrlHelpers = /["'](?:@\/lib\/graph|(?:\.\.?\/)+(?:lib\/)?graph)\/(?:paging|batch)["']/;
    expect(offenders(["app", "components", "lib", "scripts"], rawUrlHelpers, outsideGraph)).toEqual([]);
  });

  it("the audit store knows nothing of Graph (Entra's audits are read in lib/drift)", () => {
    expect(offenders(["lib/audit"], GRAPH_IMPORT)).toEqual([]);
  });

  it("pages and components never import lib/graph: they receive what lib functions read, as data", () => {
    expect(offenders(["app", "components"], GRAPH_IMPORT)).toEqual([]);
  });
});
