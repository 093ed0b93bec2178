import "server-only";
import type { SignedInUser } from "@/lib/auth/guards";
import { findCatalogApp, type CatalogApp } from "@/lib/catalog";
import type { GraphSession } from "@/lib/graph/client";
import { getGroup, getUser, listGroupUsers, searchGroups, searchUsers } from "@/lib/graph/directory";
import { isGraphStatus } from "@/lib/graph/errors";
import { readAppState, ResourceDirectory, type AppState } from "../app-state";
import { readAsUser, refuse, type Refusal, type WizardReadContext } from "../engine/wizard";
import { planAccess, type AccessPlan, type AccessSelection, type DirectoryPrincipal } from "./plan";
import { accessSelectionFrom, nothingChosen, type AccessInput } from "./schema";

export type AccessWizardPlan = { app: CatalogApp; plan: AccessPlan };

/** Users and groups whose display name starts with `text`, at most 10 of each. */
export async function searchDirectory(graph: GraphSession, text: string): Promise<DirectoryPrincipal[]> {
  const [users, groups] = await Promise.all([searchUsers(graph.client, text, ["id", "displayName", "userPrincipalName"], 10), searchGroups(graph.client, text, ["id", "displayName"], 10)]);
  return [
    ...users.map((u) => ({ type: "User" as const, id: u.id ?? "", displayName: u.displayName ?? u.id ?? "", upn: u.userPrincipalName ?? null })),
    ...groups.map((g) => ({ type: "Group" as const, id: g.id ?? "", displayName: g.displayName ?? g.id ?? "", upn: null })),
  ];
}

/** One user or group by id, as the directory has it; null when it does not exist. */
export async function readPrincipal(graph: GraphSession, type: "User" | "Group", id: string): Promise<DirectoryPrincipal | null> {
  try {
    if (type === "User") {
      const u = await getUser(graph.client, id, ["id", "displayName", "userPrincipalName"]);
      return { type, id: u.id ?? id, displayName: u.displayName ?? id, upn: u.userPrincipalName ?? null };
    }
    const g = await getGroup(graph.client, id, ["id", "displayName"]);
    return { type, id: g.id ?? id, displayName: g.displayName ?? id, upn: null };
  } catch (error) {
    if (isGraphStatus(error, 404)) return null;
    throw error;
  }
}

async function planFromTenant(graph: GraphSession, adminWids: readonly string[], appId: string, selection: AccessSelection): Promise<AccessPlan> {
  const resources = new ResourceDirectory(graph.client);
  const state = await readAppState(graph, appId, resources);
  const sp = state.servicePrincipal;
  if (!sp) return planAccess({ selection, state, principals: new Map(), groupMembers: new Map(), appRoles: [], adminWids });
  const self = await resources.get(sp.id);
  const principals = new Map(await Promise.all(selection.assign.map(async (p) => [p.id, await readPrincipal(graph, p.type, p.id)] as const)));

  const requiredAfter = selection.assignmentRequired === "keep" ? sp.appRoleAssignmentRequired : selection.assignmentRequired === "on";
  const groupMembers = new Map<string, string[]>();
  if (requiredAfter) {
    const groups = new Set([
      ...state.assignments.filter((a) => a.principalType === "Group" && !selection.unassign.includes(a.assignmentId)).map((a) => a.principalId),
      ...selection.assign.filter((a) => a.type === "Group").map((a) => a.id),
    ]);
    await Promise.all(
      [...groups].map(async (id) => {
        try {
          const members = await listGroupUsers(graph.client, id, ["id"], { top: 999 });
          groupMembers.set(id, members.flatMap((m) => (m.id ? [m.id] : [])));
        } catch (error) {
          if (!isGraphStatus(error, 404)) throw error;
        }
      }),
    );
  }
  return planAccess({ selection, state, principals, groupMembers, appRoles: self?.appRoles ?? [], adminWids });
}


/** The catalog app, the choice and the tenant (app, chosen principals, members of assigned groups), planned: the preview and the action both run this. */
export async function loadAccess({ graph, user }: WizardReadContext, input: Omit<AccessInput, "justification">): Promise<AccessWizardPlan | Refusal> {
  const app = await findCatalogApp(input.appId);
  if (!app) return refuse("This app is not in the portal's catalog.");
  const { selection, invalid } = accessSelectionFrom(input);
  if (invalid.length > 0) return refuse("Some of the choices are not valid.", { access: invalid });
  if (nothingChosen(selection)) return refuse("Choose at least one change.");
  return { app, plan: await planFromTenant(graph, user.wids, app.appId, selection) };
}

export type AccessChoices = { state: AppState; appRoles: { id: string; value: string }[]; picked: DirectoryPrincipal[]; found: DirectoryPrincipal[] };

/** What the Choose step shows: the app's state, its roles, the people already picked and the directory search's hits. */
export async function loadAccessChoices(user: SignedInUser, appId: string, input: { a: string[]; x: string[]; req: AccessInput["req"]; signin: AccessInput["signin"]; vis: AccessInput["vis"]; role?: string; q?: string }): Promise<AccessChoices> {
  return readAsUser(user, async (graph) => {
    const resources = new ResourceDirectory(graph.client);
    const state = await readAppState(graph, appId, resources);
    const sp = state.servicePrincipal;
    if (!sp) return { state, appRoles: [], picked: [], found: [] };
    const appRoles = (await resources.get(sp.id))?.appRoles ?? [];
    const { selection } = accessSelectionFrom(input);
    const picked = (await Promise.all(selection.assign.map((p) => readPrincipal(graph, p.type, p.id)))).filter((p): p is DirectoryPrincipal => p !== null);
    const found = input.q ? await searchDirectory(graph, input.q) : [];
    return { state, appRoles, picked, found };
  });
}
