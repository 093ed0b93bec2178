import type { Metadata } from "next";
import Link from "next/link";
import { requireRole } from "@/lib/auth/guards";
import { classificationsInWords } from "@/lib/consent/policies/classifications";
import { workflowInWords } from "@/lib/consent/policies/consent-workflow";
import {
  failureInWords,
  readClassifications,
  readGraphDelegatedScopes,
  readGroupConsentState,
  readPermissionGrantPoliciesAssigned,
  readWorkflowPolicy,
  reviewerNames,
  reviewersOf,
  groupNames,
} from "@/lib/consent/policies/graph";
import { GROUP_CONSENT_UNAVAILABLE, groupConsentInWords } from "@/lib/consent/policies/group-consent";
import { userConsentInWords } from "@/lib/consent/user-consent/plan";
import { graphForUser } from "@/lib/graph/session";
import { classificationCapability, consentWorkflowCapability, groupConsentCapability, userConsentCapability, type Capability } from "@/lib/roles";

export const metadata: Metadata = { title: "Consent policies" };

async function inWords(read: () => Promise<string[]>, what: string): Promise<{ lines: string[]; failed: boolean }> {
  try {
    return { lines: await read(), failed: false };
  } catch (error) {
    return { lines: [failureInWords(error, what)], failed: true };
  }
}

export default async function PoliciesPage() {
  const user = await requireRole(["admin"], "/admin/policies");
  const { client } = await graphForUser(user);
  const [userConsent, workflow, classifications, groupConsent] = await Promise.all([
    inWords(async () => userConsentInWords(await readPermissionGrantPoliciesAssigned(client)), "read the authorization policy"),
    inWords(async () => {
      const policy = await readWorkflowPolicy(client);
      return workflowInWords(policy, await reviewerNames(client, reviewersOf(policy)));
    }, "read the admin consent workflow"),
    inWords(async () => {
      const [{ scopes }, current] = await Promise.all([readGraphDelegatedScopes(client), readClassifications(client)]);
      return classificationsInWords(current.map((c) => c.permissionName ?? scopes.find((s) => s.id === c.permissionId)?.value ?? c.permissionId));
    }, "read permission classifications"),
    inWords(async () => {
      const state = await readGroupConsentState(client);
      if (state.kind === "unavailable") return [GROUP_CONSENT_UNAVAILABLE];
      return [groupConsentInWords(state.current, await groupNames(client, [state.current.groupId]))];
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
      <div>
        <h1 className="text-2xl font-semibold">Consent policies</h1>
        <p className="mt-1 max-w-3xl text-slate-600">
          How your tenant decides who may consent to apps, read now from Microsoft Graph. Each change is previewed, needs a justification, and lands in the audit trail.
        </p>
      </div>
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
