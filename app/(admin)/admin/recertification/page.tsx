import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm } from "@/components/recertification/action-form";
import { PageHeader } from "@/components/ui/page-header";
import { JustificationField } from "@/components/wizard/justification-field";
import { requireRole } from "@/lib/auth/guards";
import { recertificationPolicies } from "@/lib/recertification/query";
import { REMINDER_DAYS } from "@/lib/recertification/schedule";
import { DEFAULT_RECERTIFICATION_DAYS } from "@/lib/baseline/types";
import { savePoliciesAction } from "./actions";

export const metadata: Metadata = { title: "Recertification settings" };

/** The period of each risk level: how often an app's consent is re-attested unless the app has its own. */
export default async function RecertificationSettingsPage() {
  await requireRole(["admin"], "/admin/recertification");
  const policies = await recertificationPolicies();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Recertification settings"
        subtitle={
          <>
            Every app with an approved baseline is re-attested by its owner (or the reviewers) once per period. The task opens {REMINDER_DAYS} days before the due date with a reminder mail. An app&apos;s
            own period, owner and automatic revocation are set on its page, from the{" "}
            <Link href="/review/recertification" className="text-brand underline">
              dashboard
            </Link>
            .
          </>
        }
      />
      <ActionForm action={savePoliciesAction} submit="Save the periods" pendingText="Saving…" testId="policy-form">
        <table className="w-full max-w-xl text-sm">
          <thead>
            <tr className="text-left text-slate-500">
              <th className="py-1 font-medium">Risk level</th>
              <th className="py-1 font-medium">Period in days</th>
              <th className="py-1 font-medium">Default</th>
            </tr>
          </thead>
          <tbody>
            {policies.map((policy) => (
              <tr key={policy.riskLevel} className="border-t border-slate-100">
                <td className="py-2">
                  <label htmlFor={`period-${policy.riskLevel}`}>{policy.riskLevel}</label>
                </td>
                <td className="py-2">
                  <input
                    id={`period-${policy.riskLevel}`}
                    name={policy.riskLevel}
                    type="number"
                    min={7}
                    max={1095}
                    defaultValue={policy.custom ? policy.periodDays : ""}
                    placeholder={String(policy.periodDays)}
                    className="w-28 rounded border border-slate-300 p-1.5"
                  />
                </td>
                <td className="py-2 text-slate-600">
                  {DEFAULT_RECERTIFICATION_DAYS[policy.riskLevel]} days{policy.custom && policy.updatedByUpn ? ` · set by ${policy.updatedByUpn}` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="text-sm text-slate-600">Leave a level empty for its default.</p>
        <JustificationField />
      </ActionForm>
    </div>
  );
}
