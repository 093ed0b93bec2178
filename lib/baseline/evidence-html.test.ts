import { describe, expect, it } from "vitest";
import { graphPermission } from "@/lib/testing/permissions";
import { evidenceFileName, renderEvidenceDocument, type AppEvidence } from "./evidence-html";

const evidence: AppEvidence = {
  appId: "16013f0c-5738-42b2-8b83-d6630a222969",
  displayName: "Tailspin <Reports>",
  generatedAt: "2026-12-06T10:15:00.000Z",
  baseline: {
    appId: "16013f0c-5738-42b2-8b83-d6630a222969",
    displayName: "Tailspin <Reports>",
    permissions: [graphPermission("Reports.Read.All", "Application"), graphPermission("User.Read")],
    verifiedPublisher: "Tailspin Toys",
    source: "adopted",
    justification: 'Used by finance since 2024 <script>alert("x")</script>',
    requestId: null,
    approvedBy: { oid: "0b6f7a1c-2d3e-4f50-8a61-7b8c9d0e1f21", upn: "alex@contoso.example", name: "Alex Wilber" },
    approvedAt: "2026-12-06T10:00:00.000Z",
    version: 2,
  },
  changes: [{ at: "2026-12-06T09:00:00.000Z", actor: "Alex Wilber", action: "grant.applicationPermission", sentence: "Alex Wilber granted the application permission Reports.Read.All to Tailspin", justification: "Ticket IT-1", outcome: "succeeded", seq: "42" }],
  changesTruncated: false,
  attestations: [],
  drifts: [{ kind: "added", status: "open", detail: "Mail.Send was granted outside the portal", firstSeenAt: "2026-12-06T09:30:00.000Z", lastSeenAt: "2026-12-06T09:45:00.000Z", closedAt: null, closedBy: null, closedReason: null }],
};

describe("the evidence file", () => {
  const html = renderEvidenceDocument(evidence);

  it("is self-contained: no script, no external style or image", () => {
    expect(html).not.toMatch(/<script|<link|<img|src=|@import/i);
    expect(html).toContain("<style>");
  });

  it("escapes every value from the records", () => {
    expect(html).toContain("Tailspin &#60;Reports&#62;");
    expect(html).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;");
  });

  it("names the baseline's permissions grouped per API and consent type, its approval, the changes and the drifts", () => {
    expect(html).toMatch(/Microsoft Graph<\/td><td>Delegated, for all users<\/td><td class="ev-mono">User.Read</);
    expect(html).toMatch(/Microsoft Graph<\/td><td>Application permissions<\/td><td class="ev-mono">Reports.Read.All</);
    expect(html).toContain("2026-12-06 10:00 UTC by Alex Wilber (alex@contoso.example)");
    expect(html).toContain("adopted from what the tenant held");
    expect(html).toContain("Alex Wilber granted the application permission Reports.Read.All to Tailspin");
    expect(html).toContain("Granted outside the portal");
    expect(html).toContain("Nobody has attested this app yet.");
    expect(html).toContain("1 open drift");
  });

  it("says so when there is no baseline", () => {
    expect(renderEvidenceDocument({ ...evidence, baseline: null })).toContain("No approved baseline");
  });

  it("has a file name safe for a header", () => {
    expect(evidenceFileName(evidence)).toBe("evidence-tailspin-reports-2026-12-06.html");
  });
});
