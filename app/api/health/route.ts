import { db } from "@/lib/db";

export const dynamic = "force-dynamic";

/** Readiness: the portal answers and its database does. Reveals nothing else. */
export async function GET() {
  try {
    await db().$queryRaw`SELECT 1`;
    return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
  } catch {
    return Response.json({ status: "database unavailable" }, { status: 503, headers: { "cache-control": "no-store" } });
  }
}
