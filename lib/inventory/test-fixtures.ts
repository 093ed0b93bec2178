import { heldPermissionRisk, MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import type { HeldPermission, InventoryApp } from "./types";

/** Realistic inventory apps for the risk, findings and posture tests: levels come from the real risk table. */

export const GRAPH = MICROSOFT_GRAPH_APP_ID;
export const EXCHANGE = "00000002-0000-0ff1-ce00-000000000000";
export const NOW = new Date("2026-12-01T00:00:00Z");
export const ctx = { now: NOW, unusedAfterDays: 90 };
export const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

/** A delegated or application permission as the scan builds it, its level from the real risk table. */
export function held(value: string, opts: Partial<HeldPermission> & { resourceAppId?: string } = {}): HeldPermission {
  const kind = opts.kind ?? "delegated";
  const resourceAppId = opts.resourceAppId ?? GRAPH;
  return {
    kind,
    resourceId: `sp-${resourceAppId}`,
    resourceAppId,
    resourceName: resourceAppId === GRAPH ? "Microsoft Graph" : "Office 365 Exchange Online",
    value,
    appRoleId: opts.appRoleId ?? null,
    risk: heldPermissionRisk(resourceAppId, kind, value, opts.appRoleId ?? null),
    allUsers: kind === "delegated" ? (opts.allUsers ?? true) : false,
    userCount: opts.userCount ?? 0,
    ...(opts.userIds ? { userIds: opts.userIds } : {}),
  };
}

export function app(overrides: Partial<InventoryApp> = {}): InventoryApp {
  return {
    servicePrincipalId: "11111111-1111-4111-8111-111111111111",
    appId: "22222222-2222-4222-8222-222222222222",
    displayName: "Contoso Mail Sync",
    publisherName: "Contoso",
    verifiedPublisher: null,
    firstParty: false,
    multiTenant: true,
    accountEnabled: true,
    appRoleAssignmentRequired: false,
    permissions: [],
    consentedUsers: 0,
    grantIds: [],
    assignmentIds: [],
    lastSignIn: daysAgo(1),
    ...overrides,
  };
}
