import { describe, expect, it } from "vitest";
import catalog from "@/lib/catalog/starting-catalog.json";
import { entraRequestDeniedMessage, permissionSummaryLines, requestCreatedMessage, requestDecidedMessage } from "./messages";

const at = new Date("2026-11-26T09:30:00Z");

describe("notification messages", () => {
  it("tells an Entra requester who denied, why and where to look, with typed text escaped (S9)", () => {
    const message = entraRequestDeniedMessage(
      { appName: "Nylas", decidedByName: "Alex Wilber", reason: "Use <b>Contoso</b> & the approved tool <!channel>", decidedAt: at, requesterCount: 2 },
      "https://portal.contoso.example/",
    );
    expect(message.subject).toBe("Your request for Nylas was denied");
    expect(message.text).toContain("Alex Wilber denied the request you made for Nylas when signing in, on 2026-11-26 09:30 UTC.");
    expect(message.text).toContain("> Use <b>Contoso</b> & the approved tool <!channel>");
    expect(message.text).toContain("https://portal.contoso.example/my-apps");
    expect(message.html).not.toContain("<b>Contoso");
    expect(message.html).toContain("Use &#60;b&#62;Contoso&#60;/b&#62; &#38; the approved tool");
    expect(message.webhookText).toContain("(2 requesters)");
    expect(message.webhookText).not.toContain("<!channel>");
  });

  it("keeps a subject on one line whatever the app is called (no header injection)", () => {
    const message = requestDecidedMessage(
      {
        id: "0b7f0f7e-8f7d-4d55-9e65-0d7a8a0b1c2d",
        appName: "Evil\r\nBcc: everyone@contoso.example",
        requesterName: "Riley Chen",
        requesterUpn: "riley.chen@contoso.onmicrosoft.com",
        permissions: [],
        justification: "x",
        createdAt: at,
        status: "denied",
        decidedByName: "Alex Wilber",
        reason: "No.",
        decidedAt: at,
      },
      "http://localhost:3000",
    );
    expect(message.subject).not.toMatch(/[\r\n]/);
  });
});

describe("permission summary in request mails", () => {
  const OKTA_ADMIN = catalog.apps.find((app) => app.displayName === "Office 365 Admin for Okta Workflows")!;
  const request = {
    id: "0b7f0f7e-8f7d-4d55-9e65-0d7a8a0b1c2d",
    appName: OKTA_ADMIN.displayName,
    requesterName: "Riley Chen",
    requesterUpn: "riley.chen@contoso.onmicrosoft.com",
    permissions: OKTA_ADMIN.permissions,
    justification: "Workflows for onboarding",
    createdAt: at,
  };

  it("counts a 65-permission app by risk level on one line per API instead of listing every permission", () => {
    const message = requestCreatedMessage(request, "https://portal.contoso.example");
    expect(message.text).toContain("- 5 Critical, 13 High, 33 Medium, 14 Low permissions on Microsoft Graph");
    expect(message.text).not.toContain("Directory.ReadWrite.All");
    expect(message.text).toContain("See the 65 permissions, grouped by risk, in the portal: https://portal.contoso.example/admin/requests#request-0b7f0f7e-8f7d-4d55-9e65-0d7a8a0b1c2d");
    expect(message.text.split("\n").length).toBeLessThan(25);
    expect(message.html).toContain('<a href="https://portal.contoso.example/admin/requests#request-0b7f0f7e-8f7d-4d55-9e65-0d7a8a0b1c2d">See the 65 permissions');
  });

  it("gives one line per API, and says so when the requester named no permission", () => {
    expect(permissionSummaryLines([{ resourceAppId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read"], appRoles: ["Mail.Read"] }])).toEqual([
      "1 High, 1 Low permissions on Microsoft Graph",
    ]);
    expect(requestCreatedMessage({ ...request, permissions: [] }, "https://portal.contoso.example").text).toContain("No permissions named");
  });
});
