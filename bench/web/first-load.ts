import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

export type RouteJs = { route: string; kind: "page" | "route handler"; gzipBytes: number; files: number; chunks: string[] };

/**
 * The JavaScript a browser downloads to show each page of an App Router build for the first time: the
 * shared runtime (build-manifest.json's rootMainFiles) plus every chunk the page's client-reference
 * manifest lists for its entries (root layout, error and not-found boundaries, the page), each file counted
 * once, measured gzip'd at the default level, as a server would send it. Polyfills (nomodule, skipped
 * by current browsers) are left out, as Next's own "First Load JS" left them out.
 */
export function firstLoadJs(distDir: string): RouteJs[] {
  const build = JSON.parse(readFileSync(path.join(distDir, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const routes = JSON.parse(readFileSync(path.join(distDir, "app-path-routes-manifest.json"), "utf8")) as Record<string, string>;
  const sizes = new Map<string, number>();
  const gzipped = (file: string) => {
    const known = sizes.get(file);
    if (known !== undefined) return known;
    const size = gzipSync(readFileSync(path.join(distDir, file))).length;
    sizes.set(file, size);
    return size;
  };
  const result: RouteJs[] = [];
  for (const [entry, route] of Object.entries(routes)) {
    if (!entry.endsWith("/page")) {
      result.push({ route, kind: "route handler", gzipBytes: 0, files: 0, chunks: [] });
      continue;
    }
    const manifestFile = path.join(distDir, "server", "app", `${entry}_client-reference-manifest.js`);
    const chunks = new Set(build.rootMainFiles);
    if (existsSync(manifestFile)) {
      // The manifest is a script that assigns globalThis.__RSC_MANIFEST[entry]; run it in a sandbox of its own.
      const sandbox = { globalThis: {} as { __RSC_MANIFEST?: Record<string, { entryJSFiles?: Record<string, string[]> }> } };
      vm.runInNewContext(readFileSync(manifestFile, "utf8"), sandbox);
      const manifest = sandbox.globalThis.__RSC_MANIFEST?.[entry];
      for (const files of Object.values(manifest?.entryJSFiles ?? {})) for (const file of files) chunks.add(file.replace(/^\/?_next\//, ""));
    }
    const list = [...chunks];
    result.push({ route, kind: "page", gzipBytes: list.reduce((sum, file) => sum + gzipped(file), 0), files: list.length, chunks: list });
  }
  return result.sort((a, b) => a.route.localeCompare(b.route));
}

/** Every chunk's gzip size in one build, largest first: what the shared part is made of. */
export function chunkSizes(distDir: string, chunks: string[]): { file: string; gzipBytes: number; bytes: number }[] {
  return chunks
    .map((file) => {
      const content = readFileSync(path.join(distDir, file));
      return { file, gzipBytes: gzipSync(content).length, bytes: content.length };
    })
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
}
