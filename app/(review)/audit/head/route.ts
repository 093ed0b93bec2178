import { requireRole } from "@/lib/auth/guards";
import { env } from "@/lib/env";
import { auditSql } from "@/lib/audit";
import { exportHead, verifyChain } from "@/lib/audit/verify";

/**
 * The verified head of the chain (seq, hash, count), signed with AUDIT_HEAD_SIGNING_KEY when set, as a
 * file to keep outside the portal; a later `npm run audit:verify -- --expect <file>` proves nothing
 * before it was changed or removed. Refused (409) when the chain does not verify.
 */
export async function GET() {
  await requireRole(["reviewer", "admin"], "/audit/verify");
  const result = await verifyChain(auditSql());
  if (!result.ok) {
    return Response.json({ error: "The chain does not verify; no head was exported.", brokenSeq: result.brokenSeq, reason: result.reason }, { status: 409 });
  }
  const head = exportHead(result, env().AUDIT_HEAD_SIGNING_KEY);
  return new Response(`${JSON.stringify(head, null, 2)}\n`, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-head-${head.seq}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
