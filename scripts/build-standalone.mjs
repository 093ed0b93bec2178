// @ts-check
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * `npm run build:standalone [-- --skip-build]`: a self-contained folder to deploy, `<distDir>/standalone`
 * (`.next/standalone` unless NEXT_DIST_DIR says otherwise), run by the portal's own server:
 *
 *   node scripts/migrate.mjs && exec node scripts/portal-server.mjs 3000     (in that folder)
 *
 * Next's `output: "standalone"` traces the files the built app needs into the folder, with a minimal
 * node_modules (next, react, pg, pino, Prisma's runtime, …), and writes a server.js of its own. That
 * server.js is not used: the portal's server (scripts/portal-server.mjs) sets the client IP header from
 * the socket, mints request ids and drains in-flight work on SIGTERM. It is copied in beside a copy of
 * the app's configuration as built (scripts/standalone-config.json, from required-server-files.json),
 * which it hands to next() the way Next's own server.js does (docs/deploy.md). This script then adds
 * what Next leaves to the deployer: the client assets (`<distDir>/static`) and `public/`, the
 * migrations, and a one-file bundle of the migration runner (no tsx in the folder). Whatever the server
 * and the migration runner import that the app's trace did not already bring is traced and copied too.
 *
 * --skip-build assembles from an existing standalone build (PORTAL_STANDALONE_BUILD=1 next build).
 */
const ROOT = path.join(import.meta.dirname, "..");
const require = createRequire(import.meta.url);
const distDir = process.env.NEXT_DIST_DIR || ".next";
const out = path.join(ROOT, distDir, "standalone");

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${result.status ?? result.signal}`);
}

if (!process.argv.includes("--skip-build")) {
  run(process.execPath, [require.resolve("prisma/build/index.js"), "generate"]);
  run(process.execPath, [require.resolve("next/dist/bin/next"), "build"], { PORTAL_STANDALONE_BUILD: "1" });
}
const serverFiles = path.join(ROOT, distDir, "required-server-files.json");
if (!existsSync(path.join(out, distDir)) || !existsSync(serverFiles)) throw new Error(`no standalone build in ${path.relative(ROOT, out)}: run without --skip-build`);
const { config } = JSON.parse(readFileSync(serverFiles, "utf8"));
if (config.output !== "standalone") throw new Error(`${distDir} was not built with output: "standalone" (PORTAL_STANDALONE_BUILD=1)`);

// What Next leaves out of the folder: the browser's assets and public/.
rmSync(path.join(out, distDir, "static"), { recursive: true, force: true });
cpSync(path.join(ROOT, distDir, "static"), path.join(out, distDir, "static"), { recursive: true });
if (existsSync(path.join(ROOT, "public"))) cpSync(path.join(ROOT, "public"), path.join(out, "public"), { recursive: true });

// Next's server.js would start its own server; the portal's takes its place.
rmSync(path.join(out, "server.js"), { force: true });
mkdirSync(path.join(out, "scripts"), { recursive: true });
cpSync(path.join(ROOT, "scripts", "portal-server.mjs"), path.join(out, "scripts", "portal-server.mjs"));
writeFileSync(path.join(out, "scripts", "standalone-config.json"), `${JSON.stringify(config)}\n`);

// Migrations: the SQL files, and the runner bundled into one file (it reads prisma/migrations beside it).
rmSync(path.join(out, "prisma"), { recursive: true, force: true });
cpSync(path.join(ROOT, "prisma", "migrations"), path.join(out, "prisma", "migrations"), { recursive: true });
const esbuild = createRequire(require.resolve("tsx"))("esbuild");
esbuild.buildSync({
  stdin: {
    contents: `import { migrate } from "./lib/migrate";
const url = process.env.DATABASE_URL;
if (!url) { console.error("DATABASE_URL is not set"); process.exit(1); }
migrate(url).then((applied) => console.log(applied.length ? applied.length + " migration(s) applied." : "Database is up to date."), (error) => { console.error(error instanceof Error ? error.message : error); process.exit(1); });`,
    resolveDir: path.join(ROOT, "scripts"),
    sourcefile: "migrate-standalone.ts",
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  // scripts/lib/migrate.ts finds prisma/migrations from its own folder, scripts/lib.
  define: { "import.meta.dirname": "__portalScriptsLib" },
  banner: { js: `import { fileURLToPath as __portalFileUrl } from "node:url";\nconst __portalScriptsLib = __portalFileUrl(new URL("./lib", import.meta.url));` },
  outfile: path.join(out, "scripts", "migrate.mjs"),
  logLevel: "warning",
});

// The server's and the runner's own imports (pino, pg, next's factory) where the app's trace missed any.
const { nodeFileTrace } = require("next/dist/compiled/@vercel/nft");
// Not `next` itself: Next's own trace has what `require("next")` needs in production (its server.js does the
// same), where tracing it again would pull in the development server and its compilers (some 80 MB).
const { fileList } = await nodeFileTrace([path.join(ROOT, "scripts", "portal-server.mjs"), path.join(out, "scripts", "migrate.mjs")], {
  base: ROOT,
  ignore: (file) => file.startsWith("node_modules/next/"),
});
let added = 0;
for (const file of fileList) {
  if (!file.startsWith("node_modules/")) continue;
  const target = path.join(out, file);
  if (existsSync(target)) continue;
  mkdirSync(path.dirname(target), { recursive: true });
  cpSync(path.join(ROOT, file), target, { dereference: true });
  added += 1;
}
console.log(`Standalone portal in ${path.relative(ROOT, out)} (${added} more package file(s) for the server and migrations).`);
console.log(`Run it there: node scripts/migrate.mjs && exec node scripts/portal-server.mjs <port>`);
