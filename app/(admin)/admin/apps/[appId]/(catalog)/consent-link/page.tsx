import type { Metadata } from "next";
import { PermissionList } from "@/components/permissions/permission-list";
import { AppWizardHeader } from "@/components/wizard/app-wizard-header";
import { requireRole } from "@/lib/auth/guards";
import { catalogAppOrNotFound } from "@/lib/catalog";
import { listedPermissions } from "@/lib/permission-items";
import { CreateLinkForm } from "./_components/create-link-form";

export const metadata: Metadata = { title: "Admin consent link" };

export default async function ConsentLinkPage({ params }: { params: Promise<{ appId: string }> }) {
  const { appId: rawAppId } = await params;
  await requireRole(["admin"], `/admin/apps/${rawAppId}/consent-link`);
  const app = await catalogAppOrNotFound(rawAppId);
  const permissions = listedPermissions(app.permissions);
  return (
    <div className="space-y-6">
      <AppWizardHeader app={app} title="Admin consent link">
        The link opens Microsoft Entra&apos;s own consent screen for {app.displayName} in your tenant — what vendors call “Consent on behalf of
        your organization” or an admin consent site. You accept there, as yourself; then Entra sends you back here and the portal shows what is
        now granted. Use it when you prefer Microsoft&apos;s own screen; the link works only for you, for 15 minutes.
      </AppWizardHeader>

      <section aria-labelledby="before-you-go" className="space-y-3 rounded border border-slate-200 bg-white p-4">
        <h2 id="before-you-go" className="text-lg font-semibold">
          What you will be asked to accept
        </h2>
        <p className="text-sm" data-testid="consent-link-publisher">
          <strong>Publisher:</strong> {app.publisher ?? "not stated by the vendor"}
          {app.verifiedPublisher ? (
            <span className="ml-2 rounded bg-green-100 px-1.5 py-0.5 text-xs font-medium text-green-900">Verified publisher</span>
          ) : (
            <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">Publisher not verified</span>
          )}{" "}
          <span className="text-slate-600">
            {app.verifiedPublisher
              ? "Microsoft has checked the publisher's Partner Network account; Entra's screen shows the same blue badge."
              : "Microsoft has not confirmed who publishes this app; Entra's screen will say “unverified”."}
          </span>
        </p>
        {permissions.length > 0 ? (
          <>
            <p className="text-sm text-slate-600">
              The link asks for everything {app.displayName}&apos;s registration requests (<span className="font-mono">.default</span>). The vendor documents
              these; if Entra&apos;s screen lists more, the registration has changed — cancel there and check with the vendor.
            </p>
            <PermissionList items={permissions} label="Asked for" testId="consent-link-permissions" />
          </>
        ) : (
          <p className="text-sm text-slate-600" data-testid="consent-link-permissions">
            The portal does not know which permissions {app.displayName} asks for: read them on Entra&apos;s screen before you accept.
          </p>
        )}
      </section>

      <CreateLinkForm appId={app.appId} appName={app.displayName} />
    </div>
  );
}
