import type { Metadata } from "next";
import { requireRole } from "@/lib/auth/guards";
import { SettingsDocumentPanel } from "@/components/settings-document/settings-document-panel";
import { compareSettingsDocument } from "@/app/(review)/review/settings-document/actions";
import { applySettingsDocument } from "./actions";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Consent settings document" };

/** Admins: export, compare, and apply a consent settings document through the policy wizards. */
export default async function SettingsDocumentAdminPage() {
  await requireRole(["admin"], "/admin/policies/document");
  return (
    <div className="space-y-6">
      <PageHeader title="Consent settings document">
        <p className="mt-1 max-w-3xl text-slate-600">
          Bring the tenant to a reviewed document — from your Git repository, or exported from another tenant. Compare it first: you see every change per section, then confirm with a
          justification. Sections your Entra role cannot change are blocked with the reason; the others go ahead.
        </p>
      </PageHeader>
      <SettingsDocumentPanel compare={compareSettingsDocument} apply={applySettingsDocument} exportHref="/review/settings-document/export" />
    </div>
  );
}
