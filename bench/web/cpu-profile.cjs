// Preloaded (NODE_OPTIONS=--require) by `npm run bench:web -- --cpu-prof <dir>`: Node 20 refuses
// --cpu-prof in NODE_OPTIONS, so the portal's server profiles itself through the inspector and writes
// the profile when it exits (it exits on the SIGTERM the bench sends when it stops the stack).
// Only the portal's own process (scripts/portal-server.mjs) is profiled; other children load this and do nothing.
const { Session } = require("node:inspector");
const { mkdirSync, writeFileSync } = require("node:fs");
const path = require("node:path");

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir && process.argv.some((arg) => arg.endsWith("portal-server.mjs"))) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  // 1 ms between samples rather than V8's 1 µs default keeps a long run's profile small.
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");
  process.on("exit", () => {
    // The in-process session answers synchronously, so this completes before the process is gone.
    session.post("Profiler.stop", (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `portal.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
