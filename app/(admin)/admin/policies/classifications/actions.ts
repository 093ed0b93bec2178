"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused } from "@/lib/actions/result";
import { planClassifications, type Classification, type DelegatedScope } from "@/lib/consent/policies/classifications";
import { failureInWords, GRAPH_SP, readClassifications, readGraphDelegatedScopes } from "@/lib/consent/policies/graph";
import { auditedChange, changed, failedWithCalls } from "@/lib/consent/policies/run";
import { isGraphStatus } from "@/lib/graph/errors";
import { graphForUser } from "@/lib/graph/session";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { classificationCapability } from "@/lib/roles";
import { classificationApplySchema } from "@/lib/validations/policies";

/** POST / DELETE delegatedPermissionClassifications on Microsoft Graph's service principal, one audited call each. */
export const applyClassifications = authorizedAction(["admin"], classificationApplySchema, async (input, { user, actor, request }) => {
  const capability = classificationCapability(user.wids);
  if (!capability.allowed) return refused(`Not with your role: ${capability.reason} Nothing was changed.`);
  const { client, calls } = await graphForUser(user);
  let scopes: DelegatedScope[];
  let current: Classification[];
  try {
    ({ scopes } = await readGraphDelegatedScopes(client));
    current = await readClassifications(client);
  } catch (error) {
    return failedWithCalls(failureInWords(error, "read Microsoft Graph's permission classifications"), calls);
  }
  const plan = planClassifications(current, scopes, { add: input.add, remove: input.remove });
  const notes = [
    ...plan.refused.map((r) => `Refused ${r.permission}: ${r.reason}`),
    ...plan.unchanged.map((u) => `${u.permission}: ${u.reason}.`),
  ];
  const words = { beforeWords: plan.beforeWords, afterWords: plan.afterWords };
  if (!plan.changed) {
    return plan.refused.length
      ? failedWithCalls(`Nothing was changed. ${notes.join(" ")}`, calls)
      : changed("Nothing to change: the classifications are already as chosen.", { outcome: "unchanged", ...words, notes }, calls);
  }
  const base = { actor, context: request, justification: input.justification };
  const target = (name: string, id?: string) => ({ type: "policy" as const, appId: MICROSOFT_GRAPH_APP_ID, id, name: `Low-impact classification: ${name}` });
  let done = 0;
  const total = plan.toAdd.length + plan.toRemove.length;
  try {
    for (const add of plan.toAdd) {
      try {
        await auditedChange(calls, { ...base, action: "policy.classification.add", target: target(add.permissionName), before: { classification: null } }, async () => {
          const created = (await client.api(`${GRAPH_SP}/delegatedPermissionClassifications`).post({ permissionId: add.permissionId, permissionName: add.permissionName, classification: "low" })) as { id: string };
          return { result: created, after: { classification: "low", id: created.id, permissionName: add.permissionName } };
        });
      } catch (error) {
        // Someone classified it a moment ago: the result is what was wanted.
        if (!isGraphStatus(error, 409)) throw error;
        notes.push(`${add.permissionName}: already classified low impact by someone else.`);
      }
      done += 1;
    }
    for (const remove of plan.toRemove) {
      await auditedChange(calls, { ...base, action: "policy.classification.remove", target: target(remove.permissionName, remove.id), before: { classification: "low", permissionName: remove.permissionName } }, async () => {
        await client.api(`${GRAPH_SP}/delegatedPermissionClassifications/${remove.id}`).delete();
        return { result: undefined, after: { classification: null } };
      });
      done += 1;
    }
  } catch (error) {
    const message = failureInWords(error, "classify permissions");
    if (done === 0) return failedWithCalls(`${message} Nothing was changed.`, calls);
    return changed(`Only ${done} of ${total} changes were made. ${message}`, { outcome: "partial", ...words, notes }, calls);
  }
  revalidatePath("/admin/policies");
  const parts = [plan.toAdd.length ? `classified ${plan.toAdd.map((a) => a.permissionName).join(", ")} as low impact` : "", plan.toRemove.length ? `removed ${plan.toRemove.map((r) => r.permissionName).join(", ")}` : ""].filter(Boolean);
  return changed(`Done: ${parts.join("; ")}.`, { outcome: "succeeded", ...words, notes }, calls);
});
