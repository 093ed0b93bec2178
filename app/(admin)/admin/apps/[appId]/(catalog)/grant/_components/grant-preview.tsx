import { PermissionList, type PermissionListItem } from "@/components/permissions/permission-list";
import type { GrantPlan } from "@/lib/consent/grant/plan";
import { countByRisk, permissionsWord, riskCountsText } from "@/lib/permission-groups";
import { listedPermission } from "@/lib/permission-items";

/** Exactly what the grant will change, per API and risk level: added, already there, refused for this admin's role. */
export function GrantPreview({ plan, appName }: { plan: GrantPlan; appName: string }) {
  const items = permissionItems(plan);
  const granting = grantedItems(plan, items);
  const notes = Object.fromEntries(
    plan.delegated.map((change) => [
      change.resourceAppId,
      <div key={change.resourceAppId} className="text-sm">
        {change.blockedReason && <p className="text-amber-800">{change.blockedReason}</p>}
        {change.add.length > 0 && (
          <details className="text-xs text-slate-500">
            <summary className="cursor-pointer">The tenant-wide grant&apos;s scopes afterwards</summary>
            <p className="font-mono break-words">{change.resultingScope}</p>
          </details>
        )}
      </div>,
    ]),
  );

  return (
    <div className="space-y-5" data-testid="grant-preview">
      <p className="rounded bg-slate-100 px-3 py-2 text-sm">
        <strong>Who is affected:</strong> every user in the tenant. Delegated permissions let {appName} act as any user who signs in to it;
        application permissions let it act on its own, without a user.
      </p>
      {plan.createServicePrincipal && <p data-testid="creates-sp">+ {appName} will be added to the tenant (a service principal is created).</p>}
      {plan.changeCount === 0 ? (
        <p className="rounded border border-green-200 bg-green-50 px-3 py-2 text-green-900" data-testid="nothing-to-change">
          Nothing to change: everything selected is already granted (or cannot be granted with your role).
        </p>
      ) : (
        <p className="rounded border border-slate-200 bg-white px-3 py-2 text-sm" data-testid="grant-summary">
          <strong>
            {appName} gets {permissionsWord(granting.length)}: {riskCountsText(countByRisk(granting))}.
          </strong>{" "}
          Critical and high-risk permissions are listed open below; open the other groups to read them.
        </p>
      )}
      <PermissionList items={items} label="Permissions" notes={notes} />
    </div>
  );
}

/** Every permission the preview lists: added, already granted, refused for this admin's role. */
function permissionItems(plan: GrantPlan): PermissionListItem[] {
  return [
    ...plan.delegated.flatMap((change) => [
      ...change.add.map((permission) => ({
        ...listedPermission(change.resourceAppId, "delegated", permission.value, change.resourceName),
        testId: "adds-scope",
        content: (
          <>
            <span className="text-green-800">+ {permission.value}</span>
            <span className="text-slate-500">delegated</span>
            <span className="text-slate-600">{permission.displayName}</span>
          </>
        ),
      })),
      ...change.alreadyGranted.map((scope) => ({
        ...listedPermission(change.resourceAppId, "delegated", scope, change.resourceName),
        testId: "already-scope",
        content: <span className="text-slate-500">= {scope} (already granted)</span>,
      })),
    ]),
    ...plan.appRoles.map((change) => ({
      ...listedPermission(change.resourceAppId, "application", change.permission.value, change.resourceName),
      testId: change.blockedReason ? "blocked-app-role" : change.alreadyAssigned ? "already-app-role" : "adds-app-role",
      disabled: !!change.blockedReason,
      content: (
        <>
          <span className={change.blockedReason ? "text-slate-400 line-through" : change.alreadyAssigned ? "text-slate-500" : "text-green-800"}>
            {change.alreadyAssigned ? "=" : "+"} {change.permission.value}
          </span>
          <span className="text-slate-500">application</span>
          <span className="text-slate-600">{change.permission.displayName}</span>
          {change.alreadyAssigned && <span className="text-slate-500">already granted</span>}
          {change.blockedReason && <span className="w-full text-amber-800">Not available: {change.blockedReason}</span>}
        </>
      ),
    })),
  ];
}

/** What the grant really adds: not what is there already, not what this admin's role cannot grant. */
function grantedItems(plan: GrantPlan, items: PermissionListItem[]): PermissionListItem[] {
  const added = items.filter((item) => item.testId === "adds-scope" || item.testId === "adds-app-role");
  const blockedDelegated = new Set(plan.delegated.filter((change) => change.blockedReason).map((change) => change.resourceAppId));
  return added.filter((item) => !(item.kind === "delegated" && blockedDelegated.has(item.resourceAppId)));
}

/** The confirm bar's sentence: "Nylas gets 4 permissions for all users: 2 high risk, 2 low risk." */
export function grantSummary(plan: GrantPlan, appName: string): string | undefined {
  const granting = grantedItems(plan, permissionItems(plan));
  if (granting.length === 0) return undefined;
  return `${appName} gets ${permissionsWord(granting.length)} for all users: ${riskCountsText(countByRisk(granting))}.`;
}
