import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

export type RouteJs = { route: string; kind: "page" | "route handler"; gzipBytes: number; files: number; chunks: string[] };

type ClientReferenceManifest = {
  /** Turbopack: every chunk of each entry (root layout, boundaries, the page), by entry. */
  entryJSFiles?: Record<string, string[]>;
  /** Both builders: each client module with the chunks to load before it; webpack lists there, as pairs of
   * chunk id and file, every chunk of the entry that imports the module (and has no entryJSFiles). */
  clientModules?: Record<string, { chunks?: string[] }>;
};

/** A manifest's chunk path as a file under the dist dir: no `/_next/` prefix, no asset-token query, URI-decoded (webpack encodes `[` `]`). */
const fileOf = (chunk: string) => decodeURIComponent(chunk.replace(/^\/?_next\//, "").replace(/\?.*$/, ""));

/** The chunks one page's client-reference manifest says its entries load, whichever builder wrote it. */
function entryChunks(manifest: ClientReferenceManifest | undefined, entry: string): string[] {
  if (!manifest) return [];
  if (manifest.entryJSFiles) return Object.values(manifest.entryJSFiles).flat();
  // webpack: `chunks` alternates chunk id and file name; the files are the odd positions. Its per-page manifest
  // also merges the manifests of the pages above this one (/admin's for /admin/apps), whose client modules this
  // page never renders: a module whose chunks are another page's entry (static/chunks/app/…/page-<hash>.js)
  // is not loaded here.
  const ownPage = `app${entry}`;
  return Object.values(manifest.clientModules ?? {}).flatMap((module) => {
    const files = (module.chunks ?? []).filter((_, i) => i % 2 === 1).map(fileOf);
    const otherPage = files.some((file) => {
      const name = /^static\/chunks\/(app(?:\/.+)?\/page)-[0-9a-f]+\.js$/.exec(file)?.[1];
      return name !== undefined && name !== ownPage;
    });
    return otherPage ? [] : files;
  });
}

/** Each app entry (`/(review)/inventory/page`) with its route (`/inventory`). app-path-routes-manifest.json is written
 * after the type check; a build stopped there (another change's type error) still has the compiler's
 * server/app-paths-manifest.json, whose entries give the route the way Next derives it (no groups, no slots). */
function appRoutes(distDir: string): Record<string, string> {
  const routesFile = path.join(distDir, "app-path-routes-manifest.json");
  if (existsSync(routesFile)) return JSON.parse(readFileSync(routesFile, "utf8")) as Record<string, string>;
  const entries = Object.keys(JSON.parse(readFileSync(path.join(distDir, "server", "app-paths-manifest.json"), "utf8")) as Record<string, string>);
  const routeOf = (entry: string) => "/" + entry.split("/").filter((segment) => segment && !/^\(.*\)$/.test(segment) && !segment.startsWith("@")).slice(0, -1).join("/");
  return Object.fromEntries(entries.map((entry) => [entry, routeOf(entry)]));
}

/**
 * The JavaScript a browser downloads to show each page of an App Router build for the first time: the
 * shared runtime (build-manifest.json's rootMainFiles) plus every chunk the page's client-reference
 * manifest lists for its entries (root layout, error and not-found boundaries, the page), each file counted
 * once, measured gzip'd at the default level, as a server would send it. Turbopack lists those chunks per
 * entry (`entryJSFiles`); webpack lists them on each client module (`clientModules[…].chunks`: all the
 * chunks of the entry that imports it), so the union of those, less other pages' entries, is the same set. Polyfills (nomodule,
 * skipped by current browsers) are left out, as Next's own "First Load JS" left them out.
 */
export function firstLoadJs(distDir: string): RouteJs[] {
  const build = JSON.parse(readFileSync(path.join(distDir, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const routes = appRoutes(distDir);
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
    const chunks = new Set(build.rootMainFiles.map(fileOf));
    if (existsSync(manifestFile)) {
      // The manifest is a script that assigns globalThis.__RSC_MANIFEST[entry]; run it in a sandbox of its own.
      const sandbox = { globalThis: {} as { __RSC_MANIFEST?: Record<string, ClientReferenceManifest> } };
      vm.runInNewContext(readFileSync(manifestFile, "utf8"), sandbox);
      for (const file of entryChunks(sandbox.globalThis.__RSC_MANIFEST?.[entry], entry)) if (file.endsWith(".js")) chunks.add(fileOf(file));
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
      const content = readFileSync(path.join(distDir, fileOf(file)));
      return { file, gzipBytes: gzipSync(content).length, bytes: content.length };
    })
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/**
 * `npx tsx bench/web/first-load.ts [dist dir, default NEXT_DIST_DIR or .next] [--chunks]`: the first-load
 * JS of an existing build (either builder), without starting anything: every route, the shared part
 * (rootMainFiles) chunk by chunk, and with --chunks each page's chunks beyond the shared part.
 */
function main() {
  const args = process.argv.slice(2);
  const distDir = path.resolve(args.find((arg) => !arg.startsWith("--")) ?? process.env.NEXT_DIST_DIR ?? ".next");
  const build = JSON.parse(readFileSync(path.join(distDir, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const builder = existsSync(path.join(distDir, "turbopack")) || build.rootMainFiles.some((file) => file.includes("turbopack")) ? "Turbopack" : "webpack";
  console.log(`First-load JS of ${distDir} (${builder} build), KB gzip:`);
  const routes = firstLoadJs(distDir).filter((route) => route.kind === "page");
  const shared = chunkSizes(distDir, build.rootMainFiles);
  const sharedFiles = new Set(build.rootMainFiles.map(fileOf));
  const width = Math.max(...routes.map((route) => route.route.length));
  for (const route of routes) {
    console.log(`${route.route.padEnd(width)}  ${kb(route.gzipBytes).padStart(6)}  (${route.files} files)`);
    if (args.includes("--chunks"))
      for (const chunk of chunkSizes(distDir, route.chunks.filter((file) => !sharedFiles.has(file)))) console.log(`${"".padEnd(width)}    ${kb(chunk.gzipBytes).padStart(6)}  ${chunk.file}`);
  }
  const pages = routes.map((route) => route.gzipBytes);
  console.log(`pages: ${routes.length}, smallest ${kb(Math.min(...pages))}, largest ${kb(Math.max(...pages))}`);
  console.log(`shared (rootMainFiles): ${kb(shared.reduce((sum, chunk) => sum + chunk.gzipBytes, 0))} in ${shared.length} files:`);
  for (const chunk of shared) console.log(`  ${kb(chunk.gzipBytes).padStart(6)}  ${chunk.file}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) main();
