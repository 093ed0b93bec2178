import { RiskBadge } from "@/components/wizard/risk-badge";
import type { GrantPlan } from "@/lib/consent/grant/plan";

/** Exactly what the grant will change, per API: added, already there, refused for this admin's role. */
export function GrantPreview({ plan, appName }: { plan: GrantPlan; appName: string }) {
  return (
    <div className="space-y-5" data-testid="grant-preview">
      <p className="rounded bg-slate-100 px-3 py-2 text-sm">
        <strong>Who is affected:</strong> every user in the tenant. Delegated permissions let {appName} act as any user who signs in to it;
        application permissions let it act on its own, without a user.
      </p>
      {plan.createServicePrincipal && <p data-testid="creates-sp">+ {appName} will be added to the tenant (a service principal is created).</p>}
      {plan.changeCount === 0 && (
        <p className="rounded border border-green-200 bg-green-50 px-3 py-2 text-green-900" data-testid="nothing-to-change">
          Nothing to change: everything selected is already granted (or cannot be granted with your role).
        </p>
      )}
      {plan.delegated.map((change) => (
        <section key={change.resourceAppId} aria-label={`Delegated permissions on ${change.resourceName}`}>
          <h3 className="font-semibold">Delegated permissions on {change.resourceName}</h3>
          {change.blockedReason && <p className="text-sm text-amber-800">{change.blockedReason}</p>}
          <ul className="mt-1 space-y-1 text-sm">
            {change.add.map((permission) => (
              <li key={permission.value} data-testid="adds-scope" className="flex flex-wrap items-center gap-2">
                <span className="text-green-800">+ {permission.value}</span>
                <RiskBadge level={permission.risk} />
                <span className="text-slate-600">{permission.displayName}</span>
              </li>
            ))}
            {change.alreadyGranted.map((scope) => (
              <li key={scope} className="text-slate-500" data-testid="already-scope">
                = {scope} (already granted)
              </li>
            ))}
          </ul>
          {change.add.length > 0 && (
            <p className="mt-1 text-xs text-slate-500">
              The tenant-wide grant&apos;s scopes afterwards: <span className="font-mono">{change.resultingScope}</span>
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
                data-testid={change.blockedReason ? "blocked-app-role" : change.alreadyAssigned ? "already-app-role" : "adds-app-role"}
                aria-disabled={change.blockedReason ? true : undefined}
                className="flex flex-wrap items-center gap-2"
              >
                <span className={change.blockedReason ? "text-slate-400 line-through" : change.alreadyAssigned ? "text-slate-500" : "text-green-800"}>
                  {change.alreadyAssigned ? "=" : "+"} {change.permission.value} ({change.resourceName})
                </span>
                <RiskBadge level={change.permission.risk} />
                {change.alreadyAssigned && <span className="text-slate-500">already granted</span>}
                {change.blockedReason && <span className="text-amber-800">Not available: {change.blockedReason}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
