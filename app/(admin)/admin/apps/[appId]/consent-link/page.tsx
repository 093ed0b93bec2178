import type { Metadata } from "next";
import { AppWizardHeader } from "@/components/wizard/app-wizard-header";
import { requireRole } from "@/lib/auth/guards";
import { catalogAppOrNotFound } from "@/lib/catalog";
import { CreateLinkForm } from "./_components/create-link-form";

export const metadata: Metadata = { title: "Admin consent link" };

export default async function ConsentLinkPage({ params }: { params: Promise<{ appId: string }> }) {
  const { appId: rawAppId } = await params;
  await requireRole(["admin"], `/admin/apps/${rawAppId}/consent-link`);
  const app = await catalogAppOrNotFound(rawAppId);
  return (
    <div className="space-y-6">
      <AppWizardHeader app={app} title="Admin consent link">
        The link opens Microsoft Entra&apos;s own consent screen for {app.displayName} in your tenant — what vendors call “Consent on behalf of
        your organization” or an admin consent site. You accept there, as yourself; then Entra sends you back here and the portal shows what is
        now granted. Use it when you prefer Microsoft&apos;s own screen; the link works only for you, for 15 minutes.
      </AppWizardHeader>
      <CreateLinkForm appId={app.appId} appName={app.displayName} />
    </div>
  );
}
