"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused } from "@/lib/actions/result";
import type { Step } from "@/lib/consent/engine";
import { planClassifications, type Classification, type DelegatedScope } from "@/lib/consent/policies/classifications";
import { failureInWords, readClassifications, readGraphDelegatedScopes } from "@/lib/consent/policies/graph";
import { changed, failedWithCalls, policyLock, runPolicySteps } from "@/lib/consent/policies/run";
import { isGraphStatus } from "@/lib/graph/errors";
import { classifyPermission, listPermissionClassifications, removePermissionClassification } from "@/lib/graph/service-principals";
import { graphForUser } from "@/lib/graph/session";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { classificationCapability } from "@/lib/roles";
import { classificationApplySchema } from "@/lib/validations/policies";

/** POST / DELETE delegatedPermissionClassifications on Microsoft Graph's service principal, one audited, locked, read-back step each. */
export const applyClassifications = authorizedAction(["admin"], classificationApplySchema, async (input, context) => {
  const capability = classificationCapability(context.user.wids);
  if (!capability.allowed) return refused(`Not with your role: ${capability.reason} Nothing was changed.`);
  const graph = await graphForUser(context.user);
  const { client, calls } = graph;
  let scopes: DelegatedScope[];
  let current: Classification[];
  try {
    ({ scopes } = await readGraphDelegatedScopes(client));
    current = await readClassifications(client);
  } catch (error) {
    return failedWithCalls(failureInWords(error, "read Microsoft Graph's permission classifications"), calls);
  }
  const plan = planClassifications(current, scopes, { add: input.add, remove: input.remove });
  const notes = [...plan.refused.map((r) => `Refused ${r.permission}: ${r.reason}`), ...plan.unchanged.map((u) => `${u.permission}: ${u.reason}.`)];
  const words = { beforeWords: plan.beforeWords, afterWords: plan.afterWords };
  if (!plan.changed) {
    return plan.refused.length
      ? failedWithCalls(`Nothing was changed. ${notes.join(" ")}`, calls)
      : changed("Nothing to change: the classifications are already as chosen.", { outcome: "unchanged", ...words, notes }, calls);
  }
  const lowNow = async (permissionId: string) =>
    (await listPermissionClassifications(client, MICROSOFT_GRAPH_APP_ID)).find((c) => (c.permissionId ?? "").toLowerCase() === permissionId.toLowerCase() && c.classification === "low") ?? null;
  const step = (permissionId: string, permissionName: string, present: boolean): Step<unknown> => ({
    label: `${permissionName}: ${present ? "classify low impact" : "remove the classification"}`,
    action: present ? "policy.classification.add" : "policy.classification.remove",
    target: { type: "policy", appId: MICROSOFT_GRAPH_APP_ID, name: `Low-impact classification: ${permissionName}` },
    lock: policyLock(`classification:${permissionId.toLowerCase()}`),
    before: async () => {
      const found = await lowNow(permissionId);
      return found ? { classification: "low", id: found.id, permissionName } : { classification: null, permissionName };
    },
    expect: { kind: "classification", resourceAppId: MICROSOFT_GRAPH_APP_ID, permissionId, present },
    apply: async () => {
      const found = await lowNow(permissionId);
      if (!!found === present) return { value: null, changed: false, detail: "Already so." };
      if (!present) return { value: null, changed: await removePermissionClassification(client, MICROSOFT_GRAPH_APP_ID, found!.id ?? ""), detail: "Removed." };
      try {
        await classifyPermission(client, MICROSOFT_GRAPH_APP_ID, { permissionId, permissionName });
        return { value: null, changed: true, detail: "Classified." };
      } catch (error) {
        // Someone classified it a moment ago: the result is what was wanted.
        if (!isGraphStatus(error, 409)) throw error;
        return { value: null, changed: false, detail: "Already classified by someone else." };
      }
    },
  });
  const parts = [plan.toAdd.length ? `classified ${plan.toAdd.map((a) => a.permissionName).join(", ")} as low impact` : "", plan.toRemove.length ? `removed ${plan.toRemove.map((r) => r.permissionName).join(", ")}` : ""].filter(Boolean);
  const result = await runPolicySteps(
    context,
    graph,
    input.justification,
    [...plan.toAdd.map((a) => step(a.permissionId, a.permissionName, true)), ...plan.toRemove.map((r) => step(r.permissionId, r.permissionName, false))],
    { ...words, notes, done: `Done: ${parts.join("; ")}.`, unchanged: "Nothing to change: the classifications are already as chosen.", what: "classify permissions" },
  );
  revalidatePath("/admin/policies");
  return result;
});
