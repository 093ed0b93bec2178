import type { Metadata } from "next";
import Link from "next/link";
import { unstable_rethrow } from "next/navigation";
import { requireRole } from "@/lib/auth/guards";
import { readClassificationsToday } from "@/lib/consent/classifications/load";
import { classificationsInWords, classifiedNames } from "@/lib/consent/classifications/plan";
import { readConsentWorkflowToday } from "@/lib/consent/consent-workflow/load";
import { workflowInWords } from "@/lib/consent/consent-workflow/plan";
import { explainFailure } from "@/lib/consent/engine/failure";
import { readGroupConsentToday } from "@/lib/consent/group-consent/load";
import { GROUP_CONSENT_UNAVAILABLE, groupConsentInWords } from "@/lib/consent/group-consent/plan";
import { readRiskyAppUserConsent, readUserConsentToday } from "@/lib/consent/user-consent/load";
import { riskyAppConsentInWords, userConsentInWords } from "@/lib/consent/user-consent/plan";
import { classificationCapability, consentWorkflowCapability, groupConsentCapability, userConsentCapability, type Capability } from "@/lib/roles";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Consent policies" };

async function inWords(read: () => Promise<string[]>, what: string): Promise<{ lines: string[]; failed: boolean }> {
  try {
    return { lines: await read(), failed: false };
  } catch (error) {
    // An expired sign-in redirects to sign in again (Next's own control flow), rather than showing as a failed read.
    unstable_rethrow(error);
    return { lines: [explainFailure(error, what)], failed: true };
  }
}

export default async function PoliciesPage() {
  const user = await requireRole(["admin"], "/admin/policies");
  const [userConsent, workflow, classifications, groupConsent] = await Promise.all([
    inWords(async () => {
      const [assigned, risky] = await Promise.all([readUserConsentToday(user), readRiskyAppUserConsent(user)]);
      return [...userConsentInWords(assigned), riskyAppConsentInWords(risky)];
    }, "read the authorization policy"),
    inWords(async () => {
      const { current, names } = await readConsentWorkflowToday(user);
      return workflowInWords(current, names);
    }, "read the admin consent workflow"),
    inWords(async () => {
      const { scopes, current } = await readClassificationsToday(user);
      return classificationsInWords(classifiedNames(current, scopes));
    }, "read permission classifications"),
    inWords(async () => {
      const { state, names } = await readGroupConsentToday(user);
      if (state.kind === "unavailable") return [GROUP_CONSENT_UNAVAILABLE];
      return [groupConsentInWords(state.current, names)];
    }, "read the group consent setting"),
  ]);
  const cards: { title: string; href: string; id: string; state: { lines: string[]; failed: boolean }; capability: Capability }[] = [
    { title: "User consent settings", href: "/admin/policies/user-consent", id: "user-consent", state: userConsent, capability: userConsentCapability(user.wids) },
    { title: "Admin consent workflow", href: "/admin/policies/consent-workflow", id: "consent-workflow", state: workflow, capability: consentWorkflowCapability(user.wids) },
    { title: "Permission classifications", href: "/admin/policies/classifications", id: "classifications", state: classifications, capability: classificationCapability(user.wids) },
    { title: "Group-owner consent", href: "/admin/policies/group-consent", id: "group-consent", state: groupConsent, capability: groupConsentCapability(user.wids) },
  ];
  return (
    <div className="space-y-6">
      <PageHeader title="Consent policies">
        <p className="mt-1 max-w-3xl text-slate-600">
          How your tenant decides who may consent to apps, read now from Microsoft Graph. Each change is previewed, needs a justification, and lands in the audit trail.
        </p>
        <p className="mt-2 text-sm">
          <Link href="/admin/policies/document" className="text-brand hover:underline">
            Export, compare or apply all of them as one document
          </Link>
        </p>
      </PageHeader>
      <div className="grid gap-4 md:grid-cols-2">
        {cards.map((card) => (
          <section key={card.id} className="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby={`${card.id}-heading`} data-testid={`policy-${card.id}`}>
            <h2 id={`${card.id}-heading`} className="font-semibold">
              <Link href={card.href} className="text-brand hover:underline">
                {card.title}
              </Link>
            </h2>
            <ul className={`mt-2 list-disc space-y-1 pl-5 text-sm ${card.state.failed ? "text-red-700" : "text-slate-700"}`}>
              {card.state.lines.map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
            {!card.capability.allowed && <p className="mt-2 text-xs text-amber-800">Your role can look but not change this: {card.capability.reason}</p>}
          </section>
        ))}
      </div>
    </div>
  );
}
