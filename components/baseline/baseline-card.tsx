import Link from "next/link";
import type { ReactNode } from "react";
import { CONSENT_TYPE_WORDS, groupPermissions } from "@/lib/baseline/merge";
import { SOURCE_WORDS, utc } from "@/lib/baseline/evidence-html";
import type { AppBaselineRecord } from "@/lib/baseline/types";

/**
 * An app's approved baseline: the permissions per API and consent type, who approved them, when, why,
 * the request they answered and the version. `children` goes below it (the adopt form, for admins).
 */
export function BaselineCard({ baseline, appId, children }: { baseline: AppBaselineRecord | null; appId: string; children?: ReactNode }) {
  return (
    <section aria-labelledby="baseline" className="space-y-3" data-testid="baseline-card">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="baseline" className="text-lg font-semibold">
          Approved baseline
        </h2>
        <Link href={`/inventory/apps/${appId}/evidence`} className="text-sm text-brand underline">
          Evidence for auditors
        </Link>
      </div>
      {baseline ? (
        <div className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <dl className="grid grid-cols-1 gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
            <dt className="text-slate-500">Version</dt>
            <dd data-testid="baseline-version">{baseline.version}</dd>
            <dt className="text-slate-500">Approved</dt>
            <dd data-testid="baseline-approved">
              {utc(baseline.approvedAt)} by {baseline.approvedBy.name} ({baseline.approvedBy.upn}), {SOURCE_WORDS[baseline.source] ?? baseline.source}
            </dd>
            <dt className="text-slate-500">Why</dt>
            <dd data-testid="baseline-justification">{baseline.justification}</dd>
            {baseline.requestId && (
              <>
                <dt className="text-slate-500">Request</dt>
                <dd className="font-mono text-xs">{baseline.requestId}</dd>
              </>
            )}
          </dl>
          {baseline.permissions.length === 0 ? (
            <p className="mt-3 text-slate-600">No permissions are approved any more.</p>
          ) : (
            <table className="mt-3 w-full border-collapse text-left" data-testid="baseline-permissions">
              <thead>
                <tr className="border-b border-slate-200 text-slate-500">
                  <th className="py-1 pr-4 font-medium">API</th>
                  <th className="py-1 pr-4 font-medium">Consent type</th>
                  <th className="py-1 font-medium">Permissions</th>
                </tr>
              </thead>
              <tbody>
                {groupPermissions(baseline.permissions).map((group) => (
                  <tr key={`${group.resourceAppId}|${group.consentType}`} className="border-b border-slate-100 align-top">
                    <td className="py-1 pr-4">{group.resourceName}</td>
                    <td className="py-1 pr-4">{CONSENT_TYPE_WORDS[group.consentType]}</td>
                    <td className="py-1 font-mono">{group.values.join(", ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ) : (
        <p className="rounded bg-slate-100 px-3 py-2 text-sm" data-testid="no-baseline">
          No baseline yet: nothing this app holds has been approved in the portal.
        </p>
      )}
      {children}
    </section>
  );
}
