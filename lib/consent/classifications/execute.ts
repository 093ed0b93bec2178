import "server-only";
import { isGraphStatus } from "@/lib/graph/errors";
import { classifyPermission, listPermissionClassifications, removePermissionClassification } from "@/lib/graph/service-principals";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import type { ChangeContext, Step, StepResult } from "../engine";
import { lockKeys } from "@/lib/consent/engine/lock-keys";
import type { ClassificationPlan } from "./plan";

/**
 * POST / DELETE delegatedPermissionClassifications on Microsoft Graph's service principal: one audited,
 * locked, read-back step per permission. Each permission is its own object, so one that fails does not
 * stop the others; running the wizard again does only what is still missing.
 */
export async function executeClassifications(context: ChangeContext, plan: ClassificationPlan): Promise<StepResult[]> {
  if (!plan.changed) return [{ label: "Permission classifications", status: "unchanged", detail: "The classifications are already as chosen. No call was made." }];
  const { client } = context.graph;
  const lowNow = async (permissionId: string) =>
    (await listPermissionClassifications(client, MICROSOFT_GRAPH_APP_ID)).find((c) => (c.permissionId ?? "").toLowerCase() === permissionId.toLowerCase() && c.classification === "low") ?? null;
  const step = (permissionId: string, permissionName: string, present: boolean): Step<null> => ({
    label: `${permissionName}: ${present ? "classify low impact" : "remove the classification"}`,
    action: present ? "policy.classification.add" : "policy.classification.remove",
    target: { type: "policy", appId: MICROSOFT_GRAPH_APP_ID, name: `Low-impact classification: ${permissionName}` },
    lock: lockKeys.policy(`classification:${permissionId.toLowerCase()}`),
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
        return { value: null, changed: true, detail: "Classified low impact." };
      } catch (error) {
        // Someone classified it a moment ago: the result is what was wanted.
        if (!isGraphStatus(error, 409)) throw error;
        return { value: null, changed: false, detail: "Already classified by someone else." };
      }
    },
  });
  const steps = [...plan.toAdd.map((a) => step(a.permissionId, a.permissionName, true)), ...plan.toRemove.map((r) => step(r.permissionId, r.permissionName, false))];
  const results: StepResult[] = [];
  for (const each of steps) results.push((await context.engine.runStep(context, each)).result);
  return results;
}
