import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/guards";
import { explainError } from "@/lib/self-service/errors";
import { parsePasted, statusHref } from "@/lib/self-service/pasted";
import { findSignInsAsUser, type SignInEntry } from "@/lib/self-service/sign-ins";
import { troubleshootSchema } from "@/lib/validations/self-service";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Troubleshoot a sign-in error" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function TroubleshootPage({ searchParams }: Props) {
  const user = await requireUser("/my-apps/troubleshoot");
  const query = await searchParams;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const parsed = troubleshootSchema.safeParse({ q: first(query.q), upn: first(query.upn) });
  const q = parsed.success ? parsed.data.q : "";
  const details = q ? parsePasted(q) : null;
  // A GUID pasted on its own here is most likely the correlation ID from the error page.
  const correlationId = details?.correlationId ?? (GUID.test(q) ? q.toLowerCase() : null);
  const explanation = details?.code ? explainError(details.code) : null;
  const canSearchLogs = user.role === "admin" || user.role === "reviewer";

  let signIns: SignInEntry[] | null = null;
  let lookupFailed = false;
  if (canSearchLogs && parsed.success && (correlationId || details?.timestamp)) {
    try {
      signIns = await findSignInsAsUser(
        user,
        correlationId ? { correlationId } : { timestamp: details!.timestamp!, userPrincipalName: parsed.data.upn ?? null, windowMinutes: 15 },
      );
    } catch {
      lookupFailed = true;
    }
  }

  return (
    <div className="space-y-6">
      <PageHeader
        back={{ href: "/my-apps", label: "My apps" }}
        title="Troubleshoot a sign-in error"
        subtitle="Paste the error you saw (the AADSTS code, correlation ID or timestamp) and get the next step in plain words."
      />
      <form method="get" className="space-y-2">
        <label htmlFor="q" className="block text-sm text-slate-700">
          Error text, code, correlation ID or timestamp
        </label>
        <textarea id="q" name="q" rows={4} maxLength={4000} defaultValue={q} className="w-full rounded border border-slate-300 p-2" />
        {canSearchLogs && (
          <>
            <label htmlFor="upn" className="block text-sm text-slate-700">
              Whose sign-in (user principal name), to search by time
            </label>
            <input id="upn" name="upn" type="email" defaultValue={parsed.success ? (parsed.data.upn ?? "") : ""} className="w-full rounded border border-slate-300 p-2" />
          </>
        )}
        {!parsed.success && (
          <p role="alert" className="text-sm text-red-700">
            {parsed.error.issues[0]?.message}
          </p>
        )}
        <button type="submit" className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark">
          Explain
        </button>
      </form>

      {q && !explanation && !correlationId && !details?.timestamp && (
        <p role="alert" className="rounded bg-amber-50 px-3 py-2 text-amber-900" data-testid="nothing-recognized">
          The portal found no AADSTS code, correlation ID or timestamp in that text.
        </p>
      )}

      {explanation && (
        <section aria-labelledby="explanation" className="rounded-lg border border-slate-200 bg-white p-4" data-testid="error-explanation">
          <h2 id="explanation" className="text-lg font-semibold">
            {explanation.code}: {explanation.title}
          </h2>
          <p className="mt-1">{explanation.meaning}</p>
          <p className="mt-2 font-medium" data-testid="error-next-step">
            Next: {explanation.nextStep}
          </p>
          {canSearchLogs && explanation.adminStep && <p className="mt-1 text-sm text-slate-700">For admins: {explanation.adminStep}</p>}
          {details?.appId && (
            <p className="mt-2">
              <Link href={statusHref(details.appId, details)} className="text-brand underline">
                Check this app&apos;s status{explanation.requestHelps ? " and request approval" : ""}
              </Link>
            </p>
          )}
        </section>
      )}

      {(correlationId || details?.timestamp) && !canSearchLogs && (
        <p className="text-sm text-slate-600">
          If you contact your help desk, give them {correlationId ? `the correlation ID ${correlationId}` : ""}
          {correlationId && details?.timestamp ? " and " : ""}
          {details?.timestamp ? `the time ${details.timestamp}` : ""}: they can find your sign-in in Entra&apos;s logs.
        </p>
      )}

      {canSearchLogs && (signIns || lookupFailed) && (
        <section aria-labelledby="sign-ins" className="space-y-2">
          <h2 id="sign-ins" className="text-lg font-semibold">
            Matching sign-ins
          </h2>
          <p className="text-sm text-slate-600">
            {correlationId ? `By correlation ID ${correlationId}.` : `Within 15 minutes of ${details?.timestamp}${parsed.success && parsed.data.upn ? ` for ${parsed.data.upn}` : ""}.`}
          </p>
          {lookupFailed ? (
            <p role="alert" className="rounded bg-red-50 px-3 py-2 text-red-800">
              The sign-in logs could not be read with your access. Reading them needs AuditLog.Read.All and a role such as Security Reader or Reports Reader.
            </p>
          ) : signIns!.length === 0 ? (
            <p data-testid="no-sign-ins">No sign-in found.</p>
          ) : (
            <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white text-sm" data-testid="sign-ins">
              {signIns!.map((s) => (
                <li key={s.id} className="p-3">
                  <span className="font-medium">{s.createdDateTime}</span> · {s.userDisplayName} ({s.userPrincipalName}) · {s.appDisplayName}
                  <span className="block">
                    {s.status.errorCode === 0 ? "Success" : `AADSTS${s.status.errorCode}`}
                    {s.status.failureReason ? ` — ${s.status.failureReason}` : ""}
                  </span>
                  <span className="block font-mono text-xs text-slate-500">correlation {s.correlationId}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
