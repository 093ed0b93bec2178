import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import Link from "next/link";
import { recordEvent } from "@/lib/audit";
import { currentSessionId } from "@/lib/auth/current-session";
import { requireRole } from "@/lib/auth/guards";
import { findCatalogApp } from "@/lib/catalog";
import { readAppState } from "@/lib/consent/app-state";
import { checkState, CONSENT_STATE_COOKIE, explainConsentError, type StateRefusal } from "@/lib/consent/consent-link";
import { consumeState } from "@/lib/consent/consent-link-state";
import { env } from "@/lib/env";
import { graphForUser } from "@/lib/graph/session";
import { consentCallbackSchema } from "@/lib/validations/consent-link";

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

  const list = await headers();
  const context = { clientIp: list.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null, userAgent: list.get("user-agent")?.slice(0, 512) ?? null };
  const actor = { oid: user.oid, tid: user.tid, upn: user.upn, name: user.name, roles: user.entraRoles };

  const app = await findCatalogApp(check.appId);
  const declined = query.error ? explainConsentError(query.error, query.error_description ?? null) : null;
  const graph = await graphForUser(user);
  const state = await readAppState(graph, check.appId);
  await recordEvent({
    actor,
    context,
    action: "adminConsentLink.return",
    target: { type: "app", appId: check.appId, name: app?.displayName },
    justification: null,
    outcome: declined ? "failed" : "succeeded",
    after: declined ? { error: query.error, description: query.error_description } : { tenantWide: state.tenantWide.map((g) => ({ resource: g.resource.displayName, scopes: g.scopes })), appPermissions: state.appPermissions.map((p) => p.value) },
    graphRequestIds: graph.calls.flatMap((call) => (call.requestId ? [call.requestId] : [])),
  });

  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-semibold">{app?.displayName ?? check.appId}: admin consent</h1>
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
          <ul className="space-y-1 text-sm">
            {state.tenantWide.map((grant) => (
              <li key={grant.grantId}>
                {grant.resource.displayName} (delegated, all users): <span className="font-mono">{grant.scopes.join(" ")}</span>
              </li>
            ))}
            {state.appPermissions.map((permission) => (
              <li key={permission.assignmentId}>
                {permission.resource.displayName} (application): <span className="font-mono">{permission.value}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <Link href={`/admin/apps/${check.appId}`} className="text-brand underline">
        Go to the app&apos;s page
      </Link>
    </div>
  );
}
