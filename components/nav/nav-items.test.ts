import { describe, expect, it } from "vitest";
import { activeItem, breadcrumbs, NAV_ITEMS } from "./nav-items";

describe("navigation", () => {
  it("marks the section holding the page, the longest prefix winning", () => {
    expect(activeItem(NAV_ITEMS.admin, "/admin")?.label).toBe("Home");
    expect(activeItem(NAV_ITEMS.admin, "/admin/apps/8e0d5ae6-12fd-4a7e-b01f-a689fa119d94/grant")?.label).toBe("Apps");
    expect(activeItem(NAV_ITEMS.admin, "/admin/entra-requests")?.label).toBe("Entra requests");
    expect(activeItem(NAV_ITEMS.admin, "/admin/requestsx")?.label).toBe("Home");
    expect(activeItem(NAV_ITEMS.reviewer, "/audit/12")?.label).toBe("Audit");
    expect(activeItem(NAV_ITEMS.admin, "/review/recertification")?.label).toBe("Recertification");
    expect(activeItem(NAV_ITEMS.admin, "/admin/recertification/8e0d5ae6-12fd-4a7e-b01f-a689fa119d94")?.label).toBe("Recertification");
    expect(activeItem(NAV_ITEMS.user, "/admin")).toBeUndefined();
  });

  it("leads back from a deep page, naming the app, and stays quiet on a section's own page", () => {
    const nylas = "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94";
    expect(breadcrumbs("admin", `/admin/apps/${nylas}/grant`, { [nylas]: "Nylas" })).toEqual([
      { label: "Home", href: "/admin" },
      { label: "Apps", href: "/admin/apps" },
      { label: "Nylas", href: `/admin/apps/${nylas}` },
      { label: "Grant consent", href: `/admin/apps/${nylas}/grant` },
    ]);
    expect(breadcrumbs("reviewer", "/audit/42").map((c) => c.label)).toEqual(["Home", "Audit trail", "Event 42"]);
    expect(breadcrumbs("user", `/my-apps/apps/${nylas}`).map((c) => c.label)).toEqual(["Home", "Details"]);
    expect(breadcrumbs("user", `/attest/${nylas}`, { [nylas]: "Nylas" })).toEqual([
      { label: "Home", href: "/my-apps" },
      { label: "Nylas", href: `/attest/${nylas}` },
    ]);
    expect(breadcrumbs("admin", "/admin/apps")).toEqual([]);
    expect(breadcrumbs("admin", "/audit")).toEqual([]);
  });
});
