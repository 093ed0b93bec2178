import { PermissionList } from "@/components/permissions/permission-list";
import type { ClassificationReach, KnownApp } from "@/lib/consent/classifications/plan";
import { listedPermission } from "@/lib/permission-items";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";

const REACH: Record<ClassificationReach, string> = {
  now: "Your user consent setting lets users consent to low-impact permissions for verified publishers' apps, so this takes effect at once.",
  "all-apps": "Your user consent setting already lets users consent to every app; this classification decides what they may grant once you switch to verified publishers and low-impact permissions.",
  off: "Users cannot consent to apps today; this takes effect as soon as user consent for verified publishers is allowed.",
  custom: "Your tenant uses a custom consent policy: whether it honours classifications depends on that policy.",
};

/** The warning before high-risk permissions are classified low impact: who can then grant them, to which apps. */
export function HighRiskWarning({ names, reach, apps }: { names: string[]; reach: ClassificationReach; apps: KnownApp[] }) {
  // Classifications are Microsoft Graph delegated permissions only: the lists group them as every preview does.
  const listed = (scopes: readonly string[]) => scopes.map((scope) => listedPermission(MICROSOFT_GRAPH_APP_ID, "delegated", scope));
  return (
    <section role="alert" className="space-y-3 rounded border-2 border-red-300 bg-red-50 p-4 text-sm text-red-900" data-testid="classification-warning">
      <h2 className="font-semibold">
        {names.length === 1 ? "1 permission you chose is" : `${names.length} permissions you chose are`} high risk. Classified low impact, every user can grant{" "}
        {names.length === 1 ? "it" : "them"} to every app from a verified publisher, without an admin.
      </h2>
      <PermissionList items={listed(names)} label="High risk" testId="high-risk-permissions" />
      <p>
        A classification is not per app: it is not only the app you have in mind, but any verified publisher&apos;s app that asks, that can then read,
        change and send mail as the person who consents. {REACH[reach]}
      </p>
      <div>
        <p className="font-medium">Known apps that ask for {names.length === 1 ? "it" : "them"}:</p>
        {apps.length === 0 ? (
          <p>None in the portal&apos;s catalog.</p>
        ) : (
          <ul className="mt-1 space-y-3" data-testid="apps-asking">
            {apps.map((app) => (
              <li key={app.appId} className="space-y-1" data-testid="app-asking">
                <p>
                  <strong>{app.displayName}</strong> ({app.publisher ?? "unknown publisher"},{" "}
                  {app.verifiedPublisher ? "verified publisher: users could grant these to it" : "publisher not verified: still only an admin"},{" "}
                  {app.inTenant ? "in your tenant" : "not in your tenant yet"}) asks for {app.scopes.length === names.length ? (names.length === 1 ? "it" : "all of them") : `${app.scopes.length} of them`}.
                </p>
                <PermissionList items={listed(app.scopes)} label="Asked for" testId="app-asking-permissions" />
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

/** The Confirm step's acknowledgment: required by the form and checked again by the server. */
export function HighRiskAck({ names }: { names: string[] }) {
  return (
    <label className="flex items-start gap-2 rounded border border-red-200 bg-red-50 p-3 text-sm">
      <input type="checkbox" name="ack" value="high-risk" required className="mt-1" />
      <span>I understand that every user will be able to grant {names.join(", ")} to any verified publisher&apos;s app without an admin.</span>
    </label>
  );
}
