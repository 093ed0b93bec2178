import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { PermissionList } from "@/components/permissions/permission-list";
import { currentSessionId } from "@/lib/auth/current-session";
import { requireRole } from "@/lib/auth/guards";
import { checkState, CONSENT_STATE_COOKIE, type StateRefusal } from "@/lib/consent/consent-link";
import { recordConsentReturn } from "@/lib/consent/consent-link-return";
import { consumeState } from "@/lib/consent/consent-link-state";
import { env } from "@/lib/env";
import { listedPermission } from "@/lib/permission-items";
import { consentCallbackSchema } from "@/lib/validations/consent-link";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Admin consent result" };

const STATE_PROBLEMS: Record<StateRefusal, string> = {
  missing: "The response carried no state, or your consent link has already been used or expired.",
  mismatch: "The response's state is not the one issued with your link.",
  expired: "Your consent link expired (links are valid for 15 minutes).",
  forged: "The response's state was not issued to your session.",
  used: "This consent response has already been received once; each link's answer counts only once.",
};

function Untrusted({ reason }: { reason: StateRefusal }) {
  return (
    <div className="mx-auto max-w-2xl rounded-lg border border-red-200 bg-white p-6" role="alert">
      <h1 className="text-xl font-semibold text-red-800">This consent response cannot be trusted</h1>
      <p className="mt-2 text-slate-700">{STATE_PROBLEMS[reason]} Nothing is shown from it. Make a new link from the app&apos;s page.</p>
    </div>
  );
}

/**
 * Where Entra sends the admin back from the consent screen. It changes nothing in the tenant (S4).
 * Its `state` must be the one issued to this session (cookie) and not yet used (server record, S20):
 * a forged or replayed response writes nothing at all, not even to the audit trail, so nobody can fill
 * the trail in an admin's name by sending them links. The one accepted response uses up its state,
 * re-reads the tenant to show what is granted now, and records the outcome. The returned `tenant`
 * parameter is never trusted.
 */
export default async function ConsentCallbackPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRole(["admin"], "/admin/consent-callback");
  const parsed = consentCallbackSchema.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : {};
  const sessionId = (await currentSessionId()) ?? "";
  const check = checkState({
    returned: query.state ?? null,
    cookie: (await cookies()).get(CONSENT_STATE_COOKIE)?.value,
    sessionId,
    secret: env().AUTH_SECRET,
  });
  if (!check.ok) return <Untrusted reason={check.reason} />;
  // The cookie cannot be cleared from a page render and could be copied anyway: the server's record
  // is what makes the state single-use. Used up before anything else happens, so of two callbacks
  // racing with the same state only one goes on.
  if (!(await consumeState({ state: query.state ?? "", sessionId, appId: check.appId }))) return <Untrusted reason="used" />;

  const { app, declined, state, baseline } = await recordConsentReturn(user, { appId: check.appId, error: query.error, errorDescription: query.error_description });

  return (
    <div className="space-y-5">
      <PageHeader title={`${app?.displayName ?? check.appId}: admin consent`} />
      {declined ? (
        <div className="rounded border border-amber-200 bg-amber-50 p-4" role="alert" data-testid="consent-outcome">
          <p className="font-semibold">{declined.title}</p>
          <p className="mt-1">{declined.next}</p>
        </div>
      ) : (
        <p className="rounded border border-green-200 bg-green-50 p-4 text-green-900" role="status" data-testid="consent-outcome">
          Consent granted. This is what the tenant holds now for {app?.displayName ?? "the app"}:
        </p>
      )}
      <section aria-label="Granted now" data-testid="granted-now">
        {state.tenantWide.length === 0 && state.appPermissions.length === 0 ? (
          <p className="text-slate-600">No tenant-wide consent.</p>
        ) : (
          // The same grouped list as the grant preview and the app page: by API, then risk, long groups collapsed.
          <PermissionList
            label="Granted"
            testId="granted-now-permissions"
            items={[
              ...state.tenantWide.flatMap((grant) =>
                grant.scopes.map((scope) => listedPermission(grant.resource.appId, "delegated", scope, grant.resource.displayName)),
              ),
              ...state.appPermissions.map((permission) => ({
                ...listedPermission(permission.resource.appId, "application", permission.value, permission.resource.displayName),
                key: permission.assignmentId,
              })),
            ]}
          />
        )}
      </section>
      {baseline && (
        <p
          className={baseline.status === "failed" ? "rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900" : "text-sm text-slate-700"}
          role={baseline.status === "failed" ? "alert" : undefined}
          data-testid="baseline-outcome"
        >
          {baseline.label}: {baseline.detail}
        </p>
      )}
      <Link href={`/admin/apps/${check.appId}`} className="text-brand underline">
        Go to the app&apos;s page
      </Link>
    </div>
  );
}
