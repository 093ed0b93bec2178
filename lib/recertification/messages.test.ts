import { describe, expect, it } from "vitest";
import { recertificationReminderMessage, recertificationRevokedMessage, recertificationWarningMessage } from "@/lib/notifications/messages";

const facts = {
  appName: 'Sales <b>sync</b> & "more"',
  ownerName: "Riley Chen",
  dueAt: new Date("2026-02-04T09:00:00Z"),
  permissionLines: ["1 High, 1 Low permissions on Microsoft Graph"],
  unusedDays: null,
  revokesAt: null,
  attestUrl: "https://consent.contoso.example/attest/8e0d5ae6-12fd-4a7e-b01f-a689fa119d94?due=2026-02-04",
};

describe("recertification messages", () => {
  it("carry the one-click link and escape the app's name in HTML and webhook text", () => {
    const message = recertificationReminderMessage(facts);
    expect(message.subject).toBe('Re-attest Sales <b>sync</b> & "more" by 2026-02-04');
    expect(message.text).toContain(`Re-attest: still needed, still these permissions: ${facts.attestUrl}`);
    expect(message.html).toContain("Sales &#60;b&#62;sync&#60;/b&#62; &#38; &#34;more&#34;");
    expect(message.html).not.toContain("<b>sync</b>");
    expect(message.webhookText).toContain("Sales &lt;b&gt;sync&lt;/b&gt; &amp;");
  });

  it("proposes revocation instead of re-attestation for an unused app", () => {
    const message = recertificationReminderMessage({ ...facts, unusedDays: 120 });
    expect(message.text).toContain("Nobody has signed in to Sales <b>sync</b> & \"more\" for 120 days. Unless it is still needed, propose that its consent be revoked.");
    expect(message.text).toContain(`Decide: still needed, or propose revocation: ${facts.attestUrl}`);
  });

  it("warns with the day of the revocation, and says what the revocation did", () => {
    expect(recertificationWarningMessage({ ...facts, revokesAt: new Date("2026-02-18T09:00:00Z") }).subject).toBe('Sales <b>sync</b> & "more" loses its consent on 2026-02-18');
    const revoked = recertificationRevokedMessage({ appName: "Nylas", dueAt: facts.dueAt, revokedAt: new Date("2026-02-18T10:00:00Z"), steps: ["Delegated permissions on Microsoft Graph for all users: Removed Mail.Read."], outcome: "revoked", appUrl: "https://consent.contoso.example/review/recertification?app=x" });
    expect(revoked.subject).toBe("The consent of Nylas was revoked");
    expect(revoked.text).toContain("- Delegated permissions on Microsoft Graph for all users: Removed Mail.Read.");
  });
});
