import type { PortalRole } from "@/lib/roles";

export type NavItem = { label: string; href: string; /** Other path prefixes that count as this section. */ also?: string[] };

/** The sections each role works in, in the order they appear across the top of every page. */
export const NAV_ITEMS: Record<PortalRole, NavItem[]> = {
  admin: [
    { label: "Home", href: "/admin" },
    { label: "Apps", href: "/admin/apps" },
    { label: "Requests", href: "/admin/requests" },
    { label: "Entra requests", href: "/admin/entra-requests" },
    { label: "Policies", href: "/admin/policies" },
    { label: "Inventory", href: "/inventory" },
    { label: "Recertification", href: "/review/recertification", also: ["/admin/recertification"] },
    { label: "Audit", href: "/audit", also: ["/review"] },
  ],
  reviewer: [
    { label: "Home", href: "/review" },
    { label: "Inventory", href: "/inventory" },
    { label: "Recertification", href: "/review/recertification" },
    { label: "Audit", href: "/audit" },
  ],
  user: [{ label: "My apps", href: "/my-apps" }],
};

/** The item whose section holds `pathname`: the longest matching prefix wins, so /admin/apps is Apps, not Home. */
export function activeItem(items: NavItem[], pathname: string): NavItem | undefined {
  const within = (prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);
  let best: { item: NavItem; length: number } | undefined;
  for (const item of items) {
    for (const prefix of [item.href, ...(item.also ?? [])]) {
      if (within(prefix) && (!best || prefix.length > best.length)) best = { item, length: prefix.length };
    }
  }
  return best?.item;
}

const SEGMENT_LABELS: Record<string, string> = {
  admin: "Home",
  apps: "Apps",
  grant: "Grant consent",
  revoke: "Revoke and restrict",
  access: "Access",
  recipe: "Vendor recipe",
  "consent-link": "Admin consent link",
  "consent-callback": "Admin consent result",
  policies: "Policies",
  "user-consent": "User consent",
  "consent-workflow": "Admin consent workflow",
  classifications: "Permission classifications",
  "group-consent": "Group-owner consent",
  document: "Settings document",
  "settings-document": "Settings document",
  requests: "Requests",
  "entra-requests": "Entra requests",
  inventory: "Inventory",
  audit: "Audit trail",
  verify: "Verify the chain",
  recertification: "Recertification",
  review: "Home",
  "my-apps": "My apps",
  troubleshoot: "Troubleshoot",
};

export type Crumb = { label: string; href: string };

/**
 * The trail from the role's home to `pathname`, each step a link back. `names` gives an app's
 * display name for its ID; other unknown segments (an ID) read as "Details". Empty on a section's
 * own page, where the navigation already says where one is.
 */
export function breadcrumbs(role: PortalRole, pathname: string, names: Record<string, string> = {}): Crumb[] {
  const parts = pathname.split("/").filter(Boolean);
  if (parts.length < 2) return [];
  const home = NAV_ITEMS[role][0]!;
  const crumbs: Crumb[] = [{ label: "Home", href: home.href }];
  let href = "";
  parts.forEach((part) => {
    href += `/${part}`;
    if (href === home.href) return;
    // /my-apps/apps/<id> and /my-apps/requests/<id>: the middle segment has no page of its own.
    if ((part === "apps" || part === "requests") && parts[0] === "my-apps") return;
    // /attest/<id> (the reminder mail's link): /attest itself has no page.
    if (part === "attest" && parts[0] === "attest") return;
    const decoded = decodeURIComponent(part);
    const label = SEGMENT_LABELS[part] ?? names[decoded.toLowerCase()] ?? (/^\d+$/.test(decoded) ? `Event ${decoded}` : "Details");
    crumbs.push({ label, href });
  });
  const isSection = NAV_ITEMS[role].some((item) => item.href === pathname);
  return isSection || crumbs.length < 2 ? [] : crumbs;
}
