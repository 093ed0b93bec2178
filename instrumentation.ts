// Next.js calls register() once when a server process starts, in the Node.js runtime only and never
// while `next build` prerenders: the process's logs become JSON lines (lib/log), its graceful shutdown
// gets the drain of in-flight work (lib/jobs/lifecycle.ts), and background jobs start, each one line
// (lib/jobs/start.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { PHASE_PRODUCTION_BUILD } = await import("next/constants");
  if (process.env.NEXT_PHASE === PHASE_PRODUCTION_BUILD) return;
  const { routeConsoleToLog } = await import("./lib/log");
  routeConsoleToLog();
  const { offerDrain } = await import("./lib/jobs/lifecycle");
  offerDrain();
  const { startJobs } = await import("./lib/jobs/start");
  await startJobs();
}
