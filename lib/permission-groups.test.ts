import { describe, expect, it } from "vitest";
import catalog from "@/lib/catalog/starting-catalog.json";
import { countByRisk, groupPermissions, OPEN_GROUP_LIMIT, resourceSummary, riskCountsText } from "./permission-groups";
import { listedPermissions } from "./permission-items";

const OKTA_ADMIN = catalog.apps.find((app) => app.displayName === "Office 365 Admin for Okta Workflows")!;

describe("permission groups", () => {
  it("groups a 65-permission app by API, then by risk level, most dangerous first", () => {
    const [graph, ...others] = groupPermissions(listedPermissions(OKTA_ADMIN.permissions));
    expect(others).toHaveLength(0);
    expect(graph!.resourceName).toBe("Microsoft Graph");
    expect(graph!.levels.map((group) => [group.level, group.items.length])).toEqual([
      ["Critical", 5],
      ["High", 13],
      ["Medium", 33],
      ["Low", 14],
    ]);
    expect(resourceSummary(graph!)).toBe("65 permissions on Microsoft Graph: 5 Critical, 13 High, 33 Medium, 14 Low");
    // Delegated and application permissions of one API share its groups, each row saying which it is.
    expect(graph!.levels[0]!.items.map((item) => `${item.kind} ${item.value}`)).toEqual([
      "delegated Directory.ReadWrite.All",
      "delegated Directory.AccessAsUser.All",
      "delegated RoleManagement.ReadWrite.Directory",
      "delegated User.ReadWrite.All",
      "application User.ReadWrite.All",
    ]);
  });

  it("opens Critical and High groups whatever their size, and the others only when short", () => {
    const item = (risk: "High" | "Low", n: number) => ({ resourceAppId: "api", resourceName: "API", risk, n });
    const many = Array.from({ length: OPEN_GROUP_LIMIT + 1 }, (_, n) => [item("High", n), item("Low", n)]).flat();
    expect(groupPermissions(many)[0]!.levels.map((g) => [g.level, g.open])).toEqual([
      ["High", true],
      ["Low", false],
    ]);
    const few = Array.from({ length: OPEN_GROUP_LIMIT }, (_, n) => item("Low", n));
    expect(groupPermissions(few)[0]!.levels[0]!.open).toBe(true);
  });

  it("keeps APIs apart, in the order they come", () => {
    const groups = groupPermissions([
      { resourceAppId: "b", resourceName: "Second", risk: "Low" as const },
      { resourceAppId: "a", resourceName: "First", risk: "High" as const },
      { resourceAppId: "b", resourceName: "Second", risk: "Critical" as const },
    ]);
    expect(groups.map((g) => [g.resourceName, g.count, g.levels.map((l) => l.level)])).toEqual([
      ["Second", 2, ["Critical", "Low"]],
      ["First", 1, ["High"]],
    ]);
  });

  it("counts by level in words, leaving out levels with none", () => {
    expect(riskCountsText(countByRisk([{ risk: "Low" }, { risk: "High" }, { risk: "Low" }, { risk: "Unrated" }]))).toBe("1 High, 2 Low, 1 not rated");
  });
});
