import type { Metadata } from "next";
import Link from "next/link";
import { requireRole } from "@/lib/auth/guards";
import { SettingsDocumentPanel } from "@/components/settings-document/settings-document-panel";
import { PageHeader } from "@/components/ui/page-header";
import { compareSettingsDocument } from "./actions";

export const metadata: Metadata = { title: "Consent settings document" };

/** Reviewers (and admins): export the tenant's consent settings, and compare a document with them, read-only. */
export default async function SettingsDocumentReviewPage() {
  const user = await requireRole(["reviewer", "admin"], "/review/settings-document");
  return (
    <div className="space-y-6">
      <PageHeader title="Consent settings document">
        <p className="mt-1 max-w-3xl text-slate-600">
          The tenant&apos;s consent settings — user consent, the admin consent workflow, low-impact classifications, group-owner consent and the approved baseline of each app — as one
          versioned document to keep in Git and review like code. Compare a document with the tenant to see, section by section, what applying it would change.
        </p>
        {user.role === "admin" && (
          <p className="mt-2 text-sm">
            <Link href="/admin/policies/document" className="text-brand hover:underline">
              Apply a document as an admin
            </Link>
          </p>
        )}
      </PageHeader>
      <SettingsDocumentPanel compare={compareSettingsDocument} exportHref="/review/settings-document/export" />
    </div>
  );
}
