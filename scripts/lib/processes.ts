import { spawn, type ChildProcess } from "node:child_process";
import { createConnection, createServer } from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";

export const ROOT = path.join(import.meta.dirname, "..", "..");
export const bin = {
  next: path.join(ROOT, "node_modules", "next", "dist", "bin", "next"),
  tsx: path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"),
  pgliteServer: path.join(ROOT, "node_modules", "@electric-sql", "pglite-socket", "dist", "scripts", "server.js"),
  playwright: path.join(ROOT, "node_modules", "@playwright", "test", "cli.js"),
  vitest: path.join(ROOT, "node_modules", "vitest", "vitest.mjs"),
};

export type Child = { name: string; process: ChildProcess; exited: Promise<number> };

/** Starts a Node script as a child, prefixing its output lines with its name. */
export function startNode(name: string, script: string, args: string[], env: NodeJS.ProcessEnv, options: { quiet?: boolean } = {}): Child {
  const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      if (!options.quiet) console.log(`[${name}] ${line}`);
    });
  }
  const exited = new Promise<number>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  return { name, process: child, exited };
}

/** Runs a Node script to completion with inherited output; resolves to its exit code. */
export function runNode(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env, stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Resolves once `check` succeeds; rejects after `timeoutMs` or when `child` exits first. */
export async function waitFor(what: string, check: () => Promise<boolean>, child?: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child?.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${child?.name} exited before ${what}`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function portOpen(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** A port nothing listens on right now, chosen by the OS (for test and benchmark servers). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function stopAll(children: Child[]): Promise<void> {
  // Reverse order: the portal first, the database last.
  for (const child of [...children].reverse()) {
    if (child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill("SIGTERM");
      const timer = setTimeout(() => child.process.kill("SIGKILL"), 5_000);
      await child.exited;
      clearTimeout(timer);
    }
  }
}
