// Next.js calls register() once when a server process starts. Background jobs start here, in the
// Node.js runtime only and never while `next build` prerenders; each is one line (lib/jobs/schedule.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { PHASE_PRODUCTION_BUILD } = await import("next/constants");
  if (process.env.NEXT_PHASE === PHASE_PRODUCTION_BUILD) return;
  const { startJobs } = await import("./lib/jobs/start");
  await startJobs();
}
