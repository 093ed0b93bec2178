import { describe, expect, it } from "vitest";
import { entraRequestDeniedMessage, requestDecidedMessage } from "./messages";

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
