import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import type { OptionalColumn } from "@/lib/inventory/vocabulary";
import type { InventoryRow } from "@/lib/inventory/query";
import { InventoryTable } from "./inventory-table";

// The controls read the browser's address (next/navigation); here they render as plain markers.
vi.mock("./table-controls", () => ({
  ColumnChoice: () => null,
  SortLink: ({ sortKey, children }: { sortKey: string; children: ReactNode }) => createElement("a", { "data-sort": sortKey }, children),
}));

const row = (name: string, extra: Partial<InventoryRow> = {}): InventoryRow => ({
  servicePrincipalId: `sp-${name}`,
  appId: `app-${name}`,
  displayName: name,
  publisherName: "Contoso",
  verifiedPublisher: null,
  firstParty: false,
  riskLevel: "High",
  riskScore: 70,
  riskSummary: "Reads mail",
  permissionCount: 2,
  topPermissions: ["Mail.Read (Microsoft Graph)"],
  allUsers: true,
  consentedUsers: 12,
  lastSignIn: "2026-11-30T10:00:00Z",
  change: null,
  revoke: { s: [], r: [], u: [] },
  ...extra,
});

function render(hidden: OptionalColumn[], canAct = true) {
  const html = renderToStaticMarkup(
    createElement(InventoryTable, { rows: [row("Nylas"), row("Outreach")], sort: "users", dir: "asc", hidden, canAct, revokeQueries: { "sp-Nylas": "step=preview&s=x", "sp-Outreach": "step=preview&s=y" } }),
  );
  const headers = [...html.matchAll(/<th[^>]*>(.*?)<\/th>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ""));
  const cellsPerRow = [...html.matchAll(/<tr[^>]*data-testid="inventory-row"[^>]*>(.*?)<\/tr>/g)].map((m) => (m[1]!.match(/<td/g) ?? []).length);
  return { html, headers, cellsPerRow };
}

describe("inventory table", () => {
  it("shows every column by default, each row with a cell under each header", () => {
    const { headers, cellsPerRow } = render([]);
    expect(headers).toEqual(["App", "Risk", "Publisher", "Permissions", "Users consented", "Last sign-in", "Since last scan"]);
    expect(cellsPerRow).toEqual([7, 7]);
  });

  it("leaves out a hidden column's header and cells alike", () => {
    const { headers, cellsPerRow, html } = render(["publisher", "signin"]);
    expect(headers).toEqual(["App", "Risk", "Permissions", "Users consented", "Since last scan"]);
    expect(cellsPerRow).toEqual([5, 5]);
    expect(html).not.toContain("Contoso");
  });

  it("marks the sorted column and makes only the sortable headers links", () => {
    const { html } = render([]);
    expect(html.match(/aria-sort="[a-z]+"/g)).toEqual(['aria-sort="ascending"']);
    expect(html).toMatch(/<th[^>]*aria-sort="ascending"[^>]*><a data-sort="users">Users consented<\/a><\/th>/);
    expect([...html.matchAll(/data-sort="(\w+)"/g)].map((m) => m[1])).toEqual(["name", "risk", "users", "signin"]);
  });

  it("gives admins the app's page and its revoke wizard, reviewers only the baseline and evidence", () => {
    const admin = render([]).html;
    expect(admin).toContain('href="/admin/apps/app-Nylas"');
    expect(admin).toContain('href="/admin/apps/app-Nylas/revoke?step=preview&amp;s=x"');
    // An app outside the catalog has its page and revoke wizard too.
    expect(admin).toContain('href="/admin/apps/app-Outreach"');
    expect(admin).toContain('href="/admin/apps/app-Outreach/revoke?step=preview&amp;s=y"');
    const reviewer = render([], false).html;
    expect(reviewer).not.toContain("/admin/apps");
    expect(reviewer).toContain('href="/inventory/apps/app-Nylas/evidence"');
  });
});
