import type { EventInput } from "../store";

export const TENANT = "8c1c5b5e-6a3f-4d6e-9b2a-3f1e2d4c5b6a";
export const ALEX = { oid: "0b6f7a1c-2d3e-4f50-8a61-7b8c9d0e1f21", upn: "alex.wilber@contoso.onmicrosoft.com", name: "Alex Wilber" };
export const CASEY = { oid: "2d8b9c3e-4f50-4172-8c83-9d0e1f2a3b43", upn: "casey.jensen@contoso.onmicrosoft.com", name: "Casey Jensen" };
export const APPS = {
  nylas: { appId: "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94", name: "Nylas" },
  outreach: { appId: "c34c8d7f-38d7-4af6-9d0d-7fbcd7fa5f74", name: "Outreach" },
  oktaMail: { appId: "efb831c5-8fb7-46b8-9e6d-280c8c5911f2", name: "Okta Workflows Office 365 Mail" },
} as const;

/** A plausible portal event; tests override what they assert on. */
export function sampleEvent(overrides: Partial<EventInput> = {}): EventInput {
  return {
    tenantId: TENANT,
    actorOid: ALEX.oid,
    actorUpn: ALEX.upn,
    actorName: ALEX.name,
    actorRoles: ["Global Administrator"],
    action: "consent.grantDelegated",
    targetType: "oauth2PermissionGrant",
    targetAppId: APPS.nylas.appId,
    targetId: "grant-1",
    targetName: APPS.nylas.name,
    before: { scope: "User.Read" },
    after: { scope: "User.Read Mail.ReadWrite" },
    justification: "Sales needs mail sync",
    outcome: "succeeded",
    graphRequestIds: ["11111111-2222-3333-4444-555555555555"],
    clientIp: "203.0.113.7",
    userAgent: "Mozilla/5.0 (test)",
    ...overrides,
  };
}
