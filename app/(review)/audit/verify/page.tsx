import type { Metadata } from "next";
import Link from "next/link";
import { requireRole } from "@/lib/auth/guards";
import { env } from "@/lib/env";
import { auditSql } from "@/lib/audit";
import { firstValues } from "@/lib/audit/filters";
import { verifyChain } from "@/lib/audit/verify";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Verify the audit trail" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function VerifyPage({ searchParams }: Props) {
  await requireRole(["reviewer", "admin"], "/audit/verify");
  // Verification reads the whole trail: run it when asked, not on every visit.
  const run = firstValues(await searchParams).run === "1";
  const result = run ? await verifyChain(auditSql()) : null;
  const signed = Boolean(env().AUDIT_HEAD_SIGNING_KEY);
  return (
    <div className="space-y-6">
      <Link href="/audit" className="text-sm text-brand underline">
        ← Back to the audit trail
      </Link>
      <PageHeader
        title="Verify the chain"
        subtitle={
          <>
            Recomputes every event&apos;s SHA-256 hash from its content and its predecessor&apos;s hash, from the first event to the last. A changed, removed or
            moved event breaks the chain at its sequence number.
          </>
        }
      />
      <form method="get" action="/audit/verify">
        <input type="hidden" name="run" value="1" />
        <button type="submit" className="rounded bg-brand px-3 py-1.5 text-sm text-white hover:bg-brand-dark">
          {run ? "Verify again" : "Verify now"}
        </button>
      </form>
      {result && (
        <div role="status" data-testid="verify-result" className={`rounded-lg border p-4 ${result.ok ? "border-emerald-200 bg-emerald-50" : "border-red-200 bg-red-50"}`}>
          {result.ok ? (
            <>
              <p className="font-semibold text-emerald-900">OK: {result.count.toLocaleString("en-US")} events, chain intact.</p>
              <p className="mt-1 break-all font-mono text-xs">head #{result.headSeq} {result.headHash}</p>
              <p className="mt-1 text-xs text-slate-600">Checked in {result.ms} ms.</p>
            </>
          ) : (
            <>
              <p className="font-semibold text-red-900">
                Broken at event {result.brokenSeq}: {result.reason}.
              </p>
              <p className="mt-1 text-sm text-red-900">{result.detail}</p>
              <p className="mt-1 text-xs text-slate-600">{result.count.toLocaleString("en-US")} events before it verified.</p>
            </>
          )}
        </div>
      )}
      <section aria-labelledby="head" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <h2 id="head" className="text-lg font-semibold">Keep the head elsewhere</h2>
        <p className="mt-1 text-slate-700">
          Download the head hash and keep it outside the portal (as CloudTrail keeps digest files). Later, <code>npm run audit:verify -- --expect head.json</code>{" "}
          proves the trail up to that point is unchanged and nothing was removed from its end.{" "}
          {signed ? "The file is signed with the portal's head-signing key (HMAC-SHA256)." : "Set AUDIT_HEAD_SIGNING_KEY to have it signed."}
        </p>
        <a href="/audit/head" download className="mt-3 inline-block rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-50">
          Download the head hash
        </a>
      </section>
    </div>
  );
}
