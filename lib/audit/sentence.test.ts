import { describe, expect, it } from "vitest";
import type { AuditRecord } from "./canonical";
import { describeChange, listOf, sentenceText } from "./sentence";

const base: AuditRecord = {
  seq: 1n, occurredAt: new Date("2026-01-01T09:00:00Z"), source: "portal", externalId: null, correlationId: "c", tenantId: "t",
  actorOid: null, actorUpn: "alex.wilber@contoso.com", actorName: "Alex Wilber", actorRoles: [], action: "", targetType: "x",
  targetAppId: "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94", targetId: null, targetName: null, before: null, after: null, justification: null,
  outcome: "succeeded", graphRequestIds: [], clientIp: null, userAgent: null, prevHash: "", hash: "",
};
const say = (head: Partial<AuditRecord>, intent?: Partial<AuditRecord>) =>
  sentenceText(describeChange({ head: { ...base, ...head }, intent: intent ? { ...base, outcome: "intended", ...intent } : undefined }));

describe("audit sentences", () => {
  it("lists permissions as one, two, or the first and how many more", () => {
    expect(listOf(["Mail.Send"])).toBe("Mail.Send");
    expect(listOf(["Mail.Send", "Mail.Read"])).toBe("Mail.Send and Mail.Read");
    expect(listOf(["Mail.Send", "Mail.Read", "offline_access"])).toBe("Mail.Send and 2 more");
  });

  it("names what a grant added, from the intent's before and the outcome's after", () => {
    expect(say({ action: "grant.delegated.allPrincipals", targetName: "Nylas → Microsoft Graph", after: { scope: "User.Read Mail.Send" } }, { before: { scope: "User.Read" } })).toBe(
      "Alex Wilber granted Mail.Send to Nylas for all users",
    );
    expect(say({ action: "grant.delegated.allPrincipals", targetName: "Nylas → Office 365 Exchange Online", after: { scope: "EWS.AccessAsUser.All" } }, { before: { scope: "" } })).toBe(
      "Alex Wilber granted EWS.AccessAsUser.All on Office 365 Exchange Online to Nylas for all users",
    );
  });

  it("never claims a change that failed or has no outcome", () => {
    expect(say({ action: "grant.delegated.allPrincipals", targetName: "Nylas → Microsoft Graph", outcome: "failed" })).toBe("Alex Wilber tried to grant delegated permissions to Nylas for all users");
    expect(say({ action: "servicePrincipal.delete", targetName: "Nylas", outcome: "intended" })).toBe("Alex Wilber tried to delete Nylas from the tenant");
  });

  it("words revokes, application permissions, access switches, policies and requests", () => {
    expect(say({ action: "revoke.delegated.allPrincipals", targetName: "Outreach → Microsoft Graph", after: { scope: "User.Read" } }, { before: { scope: "User.Read Mail.ReadWrite" } })).toBe(
      "Alex Wilber revoked Mail.ReadWrite from Outreach for all users",
    );
    expect(say({ action: "grant.applicationPermission", targetName: "Nylas → Microsoft Graph Mail.Read" })).toBe("Alex Wilber granted the application permission Mail.Read to Nylas");
    expect(say({ action: "revoke.delegated.principal", targetName: "Nylas → Microsoft Graph for megan@contoso.com" })).toBe("Alex Wilber revoked megan@contoso.com's own consent to Nylas");
    expect(say({ action: "access.signIn", targetName: "Nylas", after: { accountEnabled: false } })).toBe("Alex Wilber disabled sign-in to Nylas");
    expect(say({ action: "access.assign", targetName: "Sales → Nylas (Default access)" })).toBe("Alex Wilber assigned Sales to Nylas");
    expect(say({ action: "policy.classification.add", targetName: "Low-impact classification: Mail.Send" }, { before: { classification: null, permissionName: "Mail.Send" } })).toBe(
      "Alex Wilber classified Mail.Send as low impact",
    );
    expect(say({ action: "consentRequest.deny", targetName: "Nylas" })).toBe("Alex Wilber denied a request for Nylas");
    expect(say({ action: "audit.verifyChain", actorName: "Admin Consent Portal (scheduled audit check)", targetId: "1207", outcome: "failed", targetAppId: null })).toBe(
      "Admin Consent Portal (scheduled audit check) found the audit trail's hash chain broken at event 1207",
    );
  });

  it("words the approved baseline's writes: what became approved, what no longer is, and adoption", () => {
    const p = (value: string) => ({ resourceAppId: "00000003-0000-0000-c000-000000000000", resourceName: "Microsoft Graph", consentType: "AllPrincipals", value });
    expect(say({ action: "baseline.grant", targetName: "Nylas", before: { permissions: [p("User.Read")] }, after: { permissions: [p("User.Read"), p("Mail.Send")] } })).toBe(
      "Alex Wilber recorded Mail.Send as approved for Nylas",
    );
    expect(say({ action: "baseline.revoke", targetName: "Nylas", before: { permissions: [p("User.Read"), p("Mail.Send")] }, after: { permissions: [p("User.Read")] } })).toBe(
      "Alex Wilber removed Mail.Send from the approved baseline of Nylas",
    );
    expect(say({ action: "baseline.adopted", targetName: "Tailspin Reports", after: { permissions: [p("User.Read")] } })).toBe("Alex Wilber adopted what the tenant grants Tailspin Reports as its approved baseline");
    expect(say({ action: "baseline.grant", targetName: "Nylas", outcome: "intended" })).toBe("Alex Wilber tried to record permissions as approved for Nylas");
  });

  it("shows Entra's own wording for imported events, and no dotted action names for unknown ones", () => {
    expect(say({ source: "entra", action: "Consent to application", targetName: "Nylas", actorName: null, actorUpn: null })).toBe("Someone in Entra: Consent to application — Nylas (in Entra, outside the portal)");
    expect(say({ action: "consent.revoke", targetName: "Nylas" })).toBe("Alex Wilber — consent revoke — Nylas");
  });
});
