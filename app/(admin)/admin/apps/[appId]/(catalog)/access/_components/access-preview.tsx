import type { AccessPlan } from "@/lib/consent/access/plan";

/** Exactly what restricting and assigning will change, and who would be locked out. */
export function AccessPreview({ plan, appName }: { plan: AccessPlan; appName: string }) {
  const lockOut = plan.lockOut;
  return (
    <div className="space-y-5" data-testid="access-preview">
      {lockOut && (
        <div role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="lockout-warning">
          <p className="font-semibold">Requiring assignment will lock people out of {appName}.</p>
          {lockOut.everyone && (
            <p data-testid="lockout-everyone">
              Nobody will be assigned: <strong>every user in the tenant</strong> loses access, including anyone who uses it today.
            </p>
          )}
          {!lockOut.everyone && lockOut.tenantWideUsers && (
            <p>Everyone who uses {appName} under the tenant-wide consent but is not assigned (directly or through a group) can no longer sign in.</p>
          )}
          {lockOut.users.length > 0 && (
            <>
              <p className="mt-1">Users who consented for themselves and are not assigned:</p>
              <ul className="list-disc pl-5">
                {lockOut.users.map((u) => (
                  <li key={u.upn} data-testid="locked-out-user">
                    {u.name} ({u.upn})
                  </li>
                ))}
              </ul>
            </>
          )}
          {lockOut.unassignedUsers.length > 0 && <p className="mt-1">Unassigned now and locked out: {lockOut.unassignedUsers.join(", ")}.</p>}
          <p className="mt-1">Go back (“Change the selection”) and assign them first if they should keep using it.</p>
        </div>
      )}
      {plan.disablesEveryone && (
        <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="disable-warning">
          Disabling sign-in stops <strong>every user</strong>, assigned or not, from signing in to {appName}. Tokens it already holds keep working until they expire,
          for about an hour.
        </p>
      )}
      {plan.changeCount === 0 && (
        <p className="rounded border border-green-200 bg-green-50 px-3 py-2 text-green-900" data-testid="nothing-to-change">
          Nothing to change: everything you chose is already so (or cannot be changed with your role).
        </p>
      )}
      {plan.unknown.length > 0 && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
          Not found in your tenant: {plan.unknown.join(", ")}. Go back and choose again.
        </p>
      )}
      <section aria-label="Changes">
        <h3 className="font-semibold">Changes</h3>
        <ul className="mt-1 space-y-1 text-sm">
          {plan.assign.map((a) => (
            <li key={a.principal.id} data-testid={a.alreadyAssigned ? "already-assigned" : "assigns"}>
              {a.alreadyAssigned ? "=" : "+"} Assign {a.principal.displayName} ({a.principal.type === "Group" ? "group, with its members" : (a.principal.upn ?? "user")}) with{" "}
              {a.appRoleName}
              {a.alreadyAssigned && <span className="text-slate-500"> (already assigned)</span>}
            </li>
          ))}
          {plan.unassign.map((u) => (
            <li key={u.assignmentId} data-testid="unassigns" className="text-red-800">
              − Unassign {u.name} ({u.type === "Group" ? "group" : "user"})
            </li>
          ))}
          {[
            { testId: "sets-assignment-required", change: plan.assignmentRequired, on: "Require user assignment", off: "Stop requiring user assignment: anyone in the tenant can sign in" },
            { testId: "sets-sign-in", change: plan.signInEnabled, on: "Enable sign-in", off: "Disable sign-in" },
            { testId: "sets-visibility", change: plan.hidden, on: `Hide ${appName} (adds the HideApp tag, keeping the others)`, off: `Show ${appName} (removes the HideApp tag)` },
          ]
            .filter((entry) => entry.change.changes)
            .map((entry) => (
              <li key={entry.testId} data-testid={plan.servicePrincipalBlockedReason ? "blocked-switch" : entry.testId} aria-disabled={plan.servicePrincipalBlockedReason ? true : undefined}>
                <span className={plan.servicePrincipalBlockedReason ? "text-slate-400 line-through" : undefined}>{entry.change.to ? entry.on : entry.off}</span>
                {plan.servicePrincipalBlockedReason && <span className="text-amber-800"> Not available: {plan.servicePrincipalBlockedReason}</span>}
              </li>
            ))}
        </ul>
        {plan.hidden.changes && !plan.servicePrincipalBlockedReason && (
          <p className="mt-1 text-xs text-slate-500">
            Tags afterwards: <span className="font-mono">{plan.tagsAfter.join(" ") || "(none)"}</span>
          </p>
        )}
      </section>
    </div>
  );
}
