import "server-only";
import type { Client } from "@microsoft/microsoft-graph-client";
import type { SignedInUser } from "@/lib/auth/guards";
import { getGroup, listGroups as listTenantGroups } from "@/lib/graph/directory";
import { graphFailure, isGraphStatus } from "@/lib/graph/errors";
import { listDirectorySettings, readDirectorySettingTemplate } from "@/lib/graph/policies";
import { groupConsentCapability } from "@/lib/roles";
import { readAsUser, refuse, type Refusal, type WizardReadContext } from "../engine/wizard";
import { GROUP_CONSENT_TEMPLATE_ID, planGroupConsent, readGroupConsent, type DirectorySetting, type GroupConsentChoice, type GroupConsentPlan, type GroupConsentState } from "./plan";
import type { GroupConsentInput } from "./schema";

/** The change as planned, with the choice and the group names it was planned with (the step re-plans inside the lock). */
export type GroupConsentChangePlan = Extract<GroupConsentPlan, { kind: "change" }> & { choice: GroupConsentChoice; names: Map<string, string> };

export async function readGroupConsentState(client: Client): Promise<GroupConsentState> {
  // A handful of objects per tenant: one page.
  const settings: DirectorySetting[] = (await listDirectorySettings(client)).map((setting) => ({
    id: setting.id ?? "",
    templateId: setting.templateId ?? "",
    displayName: setting.displayName ?? null,
    values: (setting.values ?? []).map((v) => ({ name: v.name ?? "", value: v.value ?? "" })),
  }));
  if (settings.some((s) => s.templateId.toLowerCase() === GROUP_CONSENT_TEMPLATE_ID)) return readGroupConsent(settings, true);
  // No setting object yet: does the tenant still have the template? Newer tenants do not.
  let templateAvailable = true;
  try {
    await readDirectorySettingTemplate(client, GROUP_CONSENT_TEMPLATE_ID);
  } catch (error) {
    const failure = graphFailure(error);
    if (!failure || failure.status === 403 || failure.status >= 500) throw error;
    templateAvailable = false;
  }
  return readGroupConsent(settings, templateAvailable);
}

/** Display names of groups by id; a deleted group keeps its id. */
async function groupNames(client: Client, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(ids.filter((x): x is string => !!x))) {
    try {
      const group = await getGroup(client, id, ["id", "displayName"]);
      names.set(id, group.displayName ?? id);
    } catch (error) {
      if (!isGraphStatus(error, 404)) throw error;
      names.set(id, `${id} (no longer in the directory)`);
    }
  }
  return names;
}

/**
 * The group consent setting as it is, planned for the choice. Refused when the admin's Entra role cannot
 * change it, or when the tenant has no such setting (newer tenants).
 */
export async function loadGroupConsent({ graph, user }: WizardReadContext, input: Omit<GroupConsentInput, "justification">): Promise<GroupConsentChangePlan | Refusal> {
  const capability = groupConsentCapability(user.wids);
  if (!capability.allowed) return refuse(`Not with your role: ${capability.reason}`);
  const { client } = graph;
  const state = await readGroupConsentState(client);
  const names = await groupNames(client, [input.groupId, state.kind === "unavailable" ? null : state.current.groupId]);
  const choice: GroupConsentChoice = { mode: input.mode, groupId: input.groupId };
  const plan = planGroupConsent(state, choice, names);
  if (plan.kind === "refused") return refuse(plan.reason);
  return { ...plan, choice, names };
}

export type GroupConsentToday = { state: GroupConsentState; names: Map<string, string>; groups: { id: string; name: string }[] };

/**
 * The setting today and the names of the groups it and the choice name; with `listGroups`, the tenant's
 * groups to choose from too (the Choose step).
 */
export function readGroupConsentToday(user: SignedInUser, { chosenGroupId = null, listGroups = false }: { chosenGroupId?: string | null; listGroups?: boolean } = {}): Promise<GroupConsentToday> {
  return readAsUser(user, async ({ client }) => {
    const state = await readGroupConsentState(client);
    let groups: { id: string; name: string }[] = [];
    if (state.kind !== "unavailable" && listGroups) {
      const found = await listTenantGroups(client, ["id", "displayName"], { top: 100, maxItems: 500 });
      groups = found.flatMap((g) => (g.id ? [{ id: g.id.toLowerCase(), name: g.displayName ?? g.id }] : [])).sort((a, b) => a.name.localeCompare(b.name));
    }
    const names = new Map(groups.map((g) => [g.id, g.name]));
    const wanted = [chosenGroupId, state.kind === "unavailable" ? null : state.current.groupId].filter((id): id is string => !!id && !names.has(id));
    for (const [id, name] of await groupNames(client, wanted)) names.set(id, name);
    return { state, names, groups };
  });
}
