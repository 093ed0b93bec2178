import { describe, expect, it } from "vitest";
import type { CatalogApp } from "@/lib/catalog";
import catalog from "@/lib/catalog/starting-catalog.json";
import { recipeFor } from "./recipe";

const app = (name: string): CatalogApp => ({ ...catalog.apps.find((a) => a.displayName === name)!, source: "starting catalog" });
const tenant = { userConsent: "legacy" as const, workflowEnabled: false, lowClassified: [] as string[], alreadyGrantedTenantWide: false };

describe("recipeFor", () => {
  it("recommends tenant-wide consent for the Okta admin connector, whose app roles only an admin can grant", () => {
    const recipe = recipeFor(app("Office 365 Admin for Okta Workflows"), { ...tenant, workflowEnabled: true });
    expect(recipe.recommended).toBe("grant");
    expect(recipe.options.find((o) => o.id === "user-consent")?.possible).toBe(false);
  });

  it("lists the Okta Mail scopes to classify for the user-consent option", () => {
    const recipe = recipeFor(app("Office 365 Mail for Okta Workflows"), tenant);
    const option = recipe.options.find((o) => o.id === "user-consent")!;
    expect(option.possible).toBe(true);
    expect(option.why.join(" ")).toContain("Mail.ReadWrite, Mail.ReadWrite.Shared, Mail.Send");
    expect(option.href).toBe("/admin/policies/classifications");
  });

  it("recommends the workflow when the tenant already has it on", () => {
    expect(recipeFor(app("Nylas"), { ...tenant, workflowEnabled: true }).recommended).toBe("workflow");
  });

  it("says users can already consent when the setting and classifications allow it", () => {
    const nylas = app("Nylas");
    const scopes = nylas.permissions[0]!.scopes;
    expect(recipeFor(nylas, { ...tenant, userConsent: "low", lowClassified: scopes }).recommended).toBe("user-consent");
  });

  it("never lets users consent to an unverified publisher's app", () => {
    const option = recipeFor(app("Outreach"), { ...tenant, userConsent: "low" }).options.find((o) => o.id === "user-consent")!;
    expect(option.possible).toBe(false);
    expect(option.why.join(" ")).toContain("publisher is not verified");
  });

  it("understands a tenant on the Microsoft-managed setting: same as verified publishers and low impact for Nylas", () => {
    const nylas = app("Nylas");
    const scopes = nylas.permissions[0]!.scopes;
    const recipe = recipeFor(nylas, { ...tenant, userConsent: "recommended", lowClassified: scopes });
    expect(recipe.recommended).toBe("user-consent");
    expect(recipe.options.find((o) => o.id === "user-consent")!.why.join(" ")).toContain("Microsoft manage user consent");
  });

  it("MC1097272: under the Microsoft-managed setting users cannot consent to a third-party app's Files/Sites access", () => {
    const nylas = app("Nylas");
    const withFiles: CatalogApp = { ...nylas, permissions: [{ ...nylas.permissions[0]!, scopes: [...nylas.permissions[0]!.scopes, "Files.Read.All"] }] };
    const lowClassified = withFiles.permissions[0]!.scopes;
    const managed = recipeFor(withFiles, { ...tenant, userConsent: "recommended", lowClassified });
    const option = managed.options.find((o) => o.id === "user-consent")!;
    expect(option.possible).toBe(false);
    expect(option.why.join(" ")).toContain("Files.Read.All");
    expect(managed.recommended).not.toBe("user-consent");
    // the verified-publishers setting the tenant keeps itself has no such rule
    expect(recipeFor(withFiles, { ...tenant, userConsent: "low", lowClassified }).recommended).toBe("user-consent");
  });
});
