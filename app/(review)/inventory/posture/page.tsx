import type { Metadata } from "next";
import { cookies } from "next/headers";
import { BaselinePicker } from "@/components/inventory/baseline-picker";
import { InventoryNav } from "@/components/inventory/inventory-nav";
import { PostureChecks } from "@/components/inventory/posture-checks";
import { requireRole } from "@/lib/auth/guards";
import { readAsUser } from "@/lib/consent/engine/wizard";
import { BASELINE_COOKIE, BASELINE_IDS, postureBaselineSchema } from "@/lib/inventory/filters";
import { checkPosture, POSTURE_BASELINES } from "@/lib/inventory/posture/checks";
import { readConsentSettings } from "@/lib/inventory/posture/read";
import { chooseBaselineAction } from "../actions";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Consent posture" };

export default async function PosturePage() {
  const user = await requireRole(["reviewer", "admin"], "/inventory/posture");
  const baseline = postureBaselineSchema.catch("eidsca").parse((await cookies()).get(BASELINE_COOKIE)?.value);
  // Read as the signed-in person: the checks show what their own role can see of the tenant's settings.
  const settings = await readAsUser(user, (graph) => readConsentSettings(graph.client));
  const checks = checkPosture(settings, baseline);
  const chosen = POSTURE_BASELINES[baseline];

  return (
    <div className="space-y-6">
      <PageHeader
        title="Consent posture"
        subtitle="The tenant's consent settings held against a baseline of your choice. The baselines disagree on purpose; pick the one your organization follows."
      />
      <InventoryNav current="/inventory/posture" />
      <BaselinePicker baselines={BASELINE_IDS.map((id) => ({ id, name: POSTURE_BASELINES[id].name, description: POSTURE_BASELINES[id].description }))} current={baseline} choose={chooseBaselineAction} />
      <p className="text-sm" data-testid="posture-baseline">
        Checked against <strong>{chosen.name}</strong>.{" "}
        <a href={chosen.source} className="text-brand underline" rel="noreferrer" target="_blank">
          About this baseline<span className="sr-only"> (opens in a new tab)</span>
        </a>
      </p>
      <PostureChecks checks={checks} canFix={user.role === "admin"} />
    </div>
  );
}
