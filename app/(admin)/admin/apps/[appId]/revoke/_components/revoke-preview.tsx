import Link from "next/link";
import { PermissionList, type PermissionListItem } from "@/components/permissions/permission-list";
import type { RevokePlan } from "@/lib/consent/revoke/plan";
import { countByRisk, permissionsWord, riskCountsText } from "@/lib/permission-groups";
import { listedPermission } from "@/lib/permission-items";

/** Exactly what the revoke will change, and every user whose access changes. `blockHref`: the same app's preview of blocking instead. */
export function RevokePreview({ plan, appName, blockHref }: { plan: RevokePlan; appName: string; blockHref: string }) {
  const items = permissionItems(plan);
  const removed = items.filter((item) => item.testId === "removes-scope" || item.testId === "removes-app-role");
  return (
    <div className="space-y-5" data-testid="revoke-preview">
      {plan.deleteServicePrincipal && !plan.deleteServicePrincipal.blockedReason && plan.consentAgain?.possible && (
        <section role="alert" className="space-y-2 rounded border-2 border-red-300 bg-red-50 px-3 py-3 text-sm text-red-900" data-testid="consent-again-warning">
          <h3 className="font-semibold">Deleting {appName} does not keep users out: they can consent to it again right away.</h3>
          <p>Because {plan.consentAgain.reason}</p>
          <p>
            The next person who opens {appName} gets a consent prompt, accepts it, and the app is back in the tenant with their mailbox permissions. To
            prohibit the app, block it instead: it stays in the tenant with sign-in disabled and assignment required, and its grants are removed. Nobody
            can consent to a blocked app.
          </p>
          <Link href={blockHref} className="inline-block rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark" data-testid="block-instead">
            Block it instead (recommended)
          </Link>
        </section>
      )}
      {plan.deleteServicePrincipal && plan.consentAgain && !plan.consentAgain.possible && (
        <p className="rounded bg-slate-100 px-3 py-2 text-sm" data-testid="consent-again-none">
          Users cannot consent to {appName} again by themselves after it is deleted: {plan.consentAgain.reason} They will see &quot;Need admin approval&quot;
          (or can request approval, if the admin consent workflow is on).
        </p>
      )}
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
            {plan.block
              ? `nobody can sign in to ${appName} or consent to it while it is blocked.`
              : plan.deleteServicePrincipal
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
        {plan.signedInUsers.length > 0 && (
          <>
            <p className="mt-1">Users who used it without a consent of their own:</p>
            <ul className="list-disc pl-5">
              {plan.signedInUsers.map((u) => (
                <li key={u.upn} data-testid="tenant-wide-user">
                  <strong>{u.name}</strong> ({u.upn}): {u.why}
                </li>
              ))}
            </ul>
          </>
        )}
        {plan.signInLogUnavailable && <p className="mt-1 text-amber-800">{plan.signInLogUnavailable}</p>}
        {plan.affectedAssignments.length > 0 && (
          <p className="mt-1" data-testid="affected-assignments">
            {plan.block ? "Assigned, and kept assigned, but unable to sign in while sign-in is disabled: " : "Assigned and losing the app: "}
            {plan.affectedAssignments.map((a) => `${a.name} (${a.type === "Group" ? "group" : "user"})`).join(", ")}.
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

      {plan.block && (
        <section aria-label="Block the app">
          <h3 className="font-semibold text-red-800">Block {appName}: keep it in the tenant, let nobody in</h3>
          {plan.block.blockedReason ? (
            <p className="text-sm text-amber-800" data-testid="blocked-block">
              Not available: {plan.block.blockedReason}
            </p>
          ) : (
            <ul className="mt-1 space-y-1 text-sm" data-testid="blocks-app">
              <li>{plan.block.disablesSignIn ? "− Sign-in disabled (accountEnabled false): Entra refuses every sign-in and every consent prompt." : "= Sign-in is already disabled."}</li>
              <li>{plan.block.requiresAssignment ? "− Assignment required: only assigned users and groups, and none while sign-in is off." : "= Assignment is already required."}</li>
              <li>− Every grant below is removed. To let people back in, enable sign-in in Restrict and assign and grant consent again.</li>
            </ul>
          )}
        </section>
      )}

      {removed.length > 0 && (
        <p className="rounded border border-slate-200 bg-white px-3 py-2 text-sm" data-testid="revoke-summary">
          <strong>
            {appName} loses {permissionsWord(removed.length)}: {riskCountsText(countByRisk(removed))}.
          </strong>
        </p>
      )}
      <PermissionList items={items} label="Permissions to remove" notes={scopeNotes(plan)} testId="revoke-permissions" />

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

/** The tenant-wide scopes and application permissions the revoke takes away (or cannot), for the grouped list. */
function permissionItems(plan: RevokePlan): PermissionListItem[] {
  return [
    ...plan.scopes.flatMap((change) => [
      ...change.remove.map((permission) => ({
        ...listedPermission(change.resourceAppId, "delegated", permission.value, change.resourceName),
        testId: "removes-scope",
        content: (
          <>
            <span className="text-red-800">− {permission.value}</span>
            <span className="text-slate-500">delegated, for all users</span>
            <span className="text-slate-600">{permission.displayName}</span>
          </>
        ),
      })),
      ...change.notGranted.map((scope) => ({
        ...listedPermission(change.resourceAppId, "delegated", scope, change.resourceName),
        content: <span className="text-slate-500">= {scope} (not granted now)</span>,
      })),
    ]),
    ...plan.appRoles.map((change) => ({
      ...listedPermission(change.resourceAppId, "application", change.permission.value, change.resourceName),
      testId: change.notGranted ? "not-granted-app-role" : change.blockedReason ? "blocked-app-role" : "removes-app-role",
      disabled: !!change.blockedReason,
      content: (
        <>
          <span className={change.blockedReason ? "text-slate-400 line-through" : "text-red-800"}>− {change.permission.value}</span>
          <span className="text-slate-500">application</span>
          {change.blockedReason && <span className="w-full text-amber-800">{change.notGranted ? change.blockedReason : `Not available: ${change.blockedReason}`}</span>}
        </>
      ),
    })),
  ];
}

/** Per API: what its tenant-wide grant becomes, and who keeps the scopes by their own consent. */
function scopeNotes(plan: RevokePlan) {
  return Object.fromEntries(
    plan.scopes.map((change) => [
      change.resourceAppId,
      <div key={change.resourceAppId} className="text-xs">
        {change.remove.length > 0 &&
          (change.deletesGrant ? (
            <p className="text-slate-600" data-testid="deletes-grant">
              Nothing remains, so the tenant-wide grant is deleted.
            </p>
          ) : (
            <p className="text-slate-500" data-testid="remaining-scopes">
              Still granted afterwards: <span className="font-mono">{change.remaining.join(" ")}</span>
            </p>
          ))}
        {change.keptByOwnConsent.length > 0 && (
          <p className="text-slate-600">
            Kept by their own consent: {change.keptByOwnConsent.map((u) => `${u.name} (${u.scopes.join(", ")})`).join("; ")}. Revoke their consent too to take it
            away from them.
          </p>
        )}
      </div>,
    ]),
  );
}
