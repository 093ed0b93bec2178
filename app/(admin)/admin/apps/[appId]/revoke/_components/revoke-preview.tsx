import { RiskBadge } from "@/components/wizard/risk-badge";
import type { RevokePlan } from "@/lib/consent/revoke/plan";

/** Exactly what the revoke will change, and every user whose access changes. */
export function RevokePreview({ plan, appName }: { plan: RevokePlan; appName: string }) {
  return (
    <div className="space-y-5" data-testid="revoke-preview">
      <p className="rounded border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="token-warning">
        <strong>Revoking does not sign anyone out.</strong> Access tokens {appName} already holds keep working until they expire, for about an hour.
        Afterwards users must consent again (or an admin must grant consent again) before {appName} can use what you remove.
      </p>

      <section aria-labelledby="affected" className="rounded bg-slate-100 px-3 py-2 text-sm">
        <h3 id="affected" className="font-semibold">
          Whose access changes
        </h3>
        {plan.everyoneAffected && (
          <p data-testid="affects-everyone">
            <strong>Every user in the tenant:</strong>{" "}
            {plan.deleteServicePrincipal
              ? `nobody can use ${appName} until it is added and consented to again.`
              : `${appName} can no longer act as any user with the removed scopes, except users who consented to them for themselves (below).`}
          </p>
        )}
        {plan.affectedUsers.length > 0 && (
          <ul className="mt-1 list-disc pl-5">
            {plan.affectedUsers.map((u) => (
              <li key={u.upn} data-testid="affected-user">
                <strong>{u.name}</strong> ({u.upn}): {u.why}
              </li>
            ))}
          </ul>
        )}
        {plan.affectedAssignments.length > 0 && (
          <p className="mt-1" data-testid="affected-assignments">
            Assigned and losing the app: {plan.affectedAssignments.map((a) => `${a.name} (${a.type === "Group" ? "group" : "user"})`).join(", ")}.
          </p>
        )}
        {plan.appLosesOwnAccess && <p className="mt-1">{appName} itself loses application permissions: it can no longer act on its own, without a user.</p>}
        {!plan.everyoneAffected && plan.affectedUsers.length === 0 && !plan.appLosesOwnAccess && <p>Nobody: nothing you chose is granted now.</p>}
      </section>

      {plan.changeCount === 0 && (
        <p className="rounded border border-green-200 bg-green-50 px-3 py-2 text-green-900" data-testid="nothing-to-change">
          Nothing to change: nothing you chose is granted now (or your role cannot remove it).
        </p>
      )}

      {plan.deleteServicePrincipal && (
        <section aria-label="Delete the app">
          <h3 className="font-semibold text-red-800">Delete {appName} from the tenant</h3>
          {plan.deleteServicePrincipal.blockedReason ? (
            <p className="text-sm text-amber-800" data-testid="blocked-delete">
              Not available: {plan.deleteServicePrincipal.blockedReason}
            </p>
          ) : (
            <p className="text-sm" data-testid="deletes-sp">
              − The service principal is deleted, with its tenant-wide grant, every user&apos;s own consent, its application permissions and its user and group
              assignments.
            </p>
          )}
        </section>
      )}

      {plan.scopes.map((change) => (
        <section key={change.resourceAppId} aria-label={`Delegated permissions on ${change.resourceName}`}>
          <h3 className="font-semibold">Delegated permissions on {change.resourceName} for all users</h3>
          <ul className="mt-1 space-y-1 text-sm">
            {change.remove.map((permission) => (
              <li key={permission.value} data-testid="removes-scope" className="flex flex-wrap items-center gap-2">
                <span className="text-red-800">− {permission.value}</span>
                <RiskBadge level={permission.risk} />
                <span className="text-slate-600">{permission.displayName}</span>
              </li>
            ))}
            {change.notGranted.map((scope) => (
              <li key={scope} className="text-slate-500">
                = {scope} (not granted now)
              </li>
            ))}
          </ul>
          {change.remove.length > 0 &&
            (change.deletesGrant ? (
              <p className="mt-1 text-xs text-slate-600" data-testid="deletes-grant">
                Nothing remains, so the tenant-wide grant is deleted.
              </p>
            ) : (
              <p className="mt-1 text-xs text-slate-500" data-testid="remaining-scopes">
                Still granted afterwards: <span className="font-mono">{change.remaining.join(" ")}</span>
              </p>
            ))}
          {change.keptByOwnConsent.length > 0 && (
            <p className="mt-1 text-xs text-slate-600">
              Kept by their own consent: {change.keptByOwnConsent.map((u) => `${u.name} (${u.scopes.join(", ")})`).join("; ")}. Revoke their consent too to take it
              away from them.
            </p>
          )}
        </section>
      ))}

      {plan.appRoles.length > 0 && (
        <section aria-label="Application permissions">
          <h3 className="font-semibold">Application permissions</h3>
          <ul className="mt-1 space-y-1 text-sm">
            {plan.appRoles.map((change) => (
              <li
                key={`${change.resourceAppId}-${change.permission.value}`}
                data-testid={change.notGranted ? "not-granted-app-role" : change.blockedReason ? "blocked-app-role" : "removes-app-role"}
                aria-disabled={change.blockedReason ? true : undefined}
                className="flex flex-wrap items-center gap-2"
              >
                <span className={change.blockedReason ? "text-slate-400 line-through" : "text-red-800"}>
                  − {change.permission.value} ({change.resourceName})
                </span>
                <RiskBadge level={change.permission.risk} />
                {change.blockedReason && <span className="text-amber-800">{change.notGranted ? change.blockedReason : `Not available: ${change.blockedReason}`}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}

      {(plan.users.length > 0 || plan.usersWithoutConsent.length > 0) && (
        <section aria-label="Users' own consent">
          <h3 className="font-semibold">Users&apos; own consent</h3>
          <ul className="mt-1 space-y-1 text-sm">
            {plan.users.map((user) => (
              <li key={user.principalId} data-testid="revokes-user">
                <span className="text-red-800">− {user.name}</span> ({user.upn}):{" "}
                {user.grants.map((g) => `${g.scopes.join(" ")} on ${g.resourceName}`).join("; ")}
              </li>
            ))}
            {plan.usersWithoutConsent.map((id) => (
              <li key={id} className="text-slate-500">
                = {id} has no consent of their own for this app now.
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
