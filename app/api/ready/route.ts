import { readiness } from "@/lib/health/readiness";

export const dynamic = "force-dynamic";

/** Readiness for a load balancer: 200 when this instance can serve (database, token endpoint, not shutting down), else 503. */
export async function GET() {
  const state = await readiness();
  return Response.json(state, { status: state.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
}
