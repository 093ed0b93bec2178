export const dynamic = "force-dynamic";

/**
 * Liveness: the process answers HTTP. Deliberately nothing else — a database or Entra outage must not
 * make an orchestrator restart every instance; that is what readiness (/api/ready) reports.
 */
export async function GET() {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
