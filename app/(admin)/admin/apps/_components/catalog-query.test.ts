import { describe, expect, it } from "vitest";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { catalogHref, catalogQuerySchema, highestRisk, PAGE_SIZE, queryCatalog } from "./catalog-query";

const app = (displayName: string, publisher: string | null, scopes: string[] = [], appRoles: string[] = []) => ({
  appId: `00000000-0000-4000-8000-${String(displayName.length).padStart(12, "0")}`,
  displayName,
  publisher,
  permissions: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, scopes, appRoles }],
});

describe("apps list: search, sort, pages", () => {
  const apps = [app("Nylas", "Nylas Inc.", ["Mail.ReadWrite"]), app("Outreach", "Outreach Corp", ["User.Read"]), app("Okta Mail", null, [], ["Mail.ReadWrite"])];

  it("reads the URL forgivingly: bad values fall back to the defaults", () => {
    expect(catalogQuerySchema.parse({ sort: "drop table", page: "-3" })).toEqual({ q: "", sort: "name", page: 1 });
    expect(catalogQuerySchema.parse({ q: " nyl ", sort: "risk", page: "2" })).toEqual({ q: "nyl", sort: "risk", page: 2 });
  });

  it("finds by name or publisher, any case", () => {
    expect(queryCatalog(apps, catalogQuerySchema.parse({ q: "NYL" })).items.map((a) => a.displayName)).toEqual(["Nylas"]);
    expect(queryCatalog(apps, catalogQuerySchema.parse({ q: "corp" })).items.map((a) => a.displayName)).toEqual(["Outreach"]);
  });

  it("puts the riskiest first when sorting by risk, and rates an app by its riskiest permission", () => {
    expect(highestRisk(apps[1]!.permissions)).not.toBe(highestRisk(apps[2]!.permissions));
    const byRisk = queryCatalog(apps, catalogQuerySchema.parse({ sort: "risk" })).items;
    const ranks = ["Critical", "High", "Medium", "Low", "Unrated"];
    expect(byRisk.map((a) => ranks.indexOf(a.risk))).toEqual([...byRisk.map((a) => ranks.indexOf(a.risk))].sort((a, b) => a - b));
    expect(byRisk.at(-1)!.displayName).toBe("Outreach");
  });

  it("pages, and a page past the end shows the last one", () => {
    const many = Array.from({ length: PAGE_SIZE + 3 }, (_, i) => app(`App ${String(i).padStart(2, "0")}`, "P"));
    const last = queryCatalog(many, catalogQuerySchema.parse({ page: "9" }));
    expect(last).toMatchObject({ total: PAGE_SIZE + 3, page: 2, pages: 2 });
    expect(last.items).toHaveLength(3);
    expect(catalogHref(catalogQuerySchema.parse({ q: "a b" }), { page: 2 })).toBe("/admin/apps?q=a+b&page=2");
    expect(catalogHref(catalogQuerySchema.parse({}), {})).toBe("/admin/apps");
  });
});
