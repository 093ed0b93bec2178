import { pathToFileURL } from "node:url";
import { seededGuid, seededOpaqueId, seededRandom } from "./state/ids";
import { MICROSOFT_GRAPH_APP_ID } from "./state/catalog";
import type { Tenant } from "./state/tenant";
import type { ServicePrincipal, User } from "./state/types";

export interface GenerateOptions {
  servicePrincipals?: number;
  grants?: number;
  appRoleAssignments?: number;
  /** extra member users, so per-user (Principal) grants spread realistically */
  users?: number;
  seed?: number;
}
export interface GenerateResult {
  servicePrincipals: number;
  grants: number;
  appRoleAssignments: number;
  users: number;
  ms: number;
}

const PUBLISHERS = [
  "Adatum", "Alpine Ski House", "Bellows College", "Best For You Organics", "Contoso Pharmaceuticals", "Coho Winery", "Consolidated Messenger",
  "Datum Corporation", "Fabrikam Residences", "First Up Consultants", "Fourth Coffee", "Graphic Design Institute", "Humongous Insurance",
  "Lamna Healthcare", "Liberty's Delightful Sinful Bakery", "Litware", "Lucerne Publishing", "Margie's Travel", "Northwind Traders",
  "Proseware", "Relecloud", "School of Fine Art", "Southridge Video", "Tailspin Toys", "Trey Research", "VanArsdel", "Wide World Importers",
  "Wingtip Toys", "Woodgrove Bank", "Blue Yonder Airlines", "City Power & Light", "Nod Publishers", "Olympia", "Munson's Pickles",
];
const PRODUCTS = ["Mail Sync", "Calendar Connector", "CRM", "Sign", "Reports", "Backup", "Scheduler", "Notes", "Chat Bridge", "Analytics",
  "Recruiting", "Expense", "HR Portal", "Forms", "Helpdesk", "Archive", "Compliance Scanner", "Directory Sync", "Meeting Rooms", "Files"];
// weighted toward what SaaS apps really ask for; a few high-risk ones appear less often
const DELEGATED = [
  ["openid", 10], ["profile", 10], ["email", 9], ["offline_access", 9], ["User.Read", 10], ["Mail.Read", 4], ["Mail.ReadWrite", 3],
  ["Mail.Send", 3], ["Calendars.Read", 4], ["Calendars.ReadWrite", 3], ["Contacts.Read", 2], ["Files.Read.All", 2], ["Files.ReadWrite.All", 1],
  ["Sites.Read.All", 1], ["User.ReadBasic.All", 3], ["User.Read.All", 1], ["Group.Read.All", 1], ["Directory.Read.All", 1],
  ["Directory.AccessAsUser.All", 0.3], ["Mail.ReadWrite.Shared", 0.5], ["Tasks.ReadWrite", 1], ["Notes.Read", 0.5], ["People.Read", 1],
] as const;
const APP_ROLES = ["User.Read.All", "Directory.Read.All", "Mail.Read", "Mail.Send", "Calendars.Read", "Files.Read.All", "Group.Read.All",
  "Sites.Read.All", "Reports.Read.All", "AuditLog.Read.All", "Application.Read.All", "Mail.ReadWrite", "User.ReadWrite.All",
  "Group.ReadWrite.All", "Directory.ReadWrite.All", "Application.ReadWrite.All", "RoleManagement.ReadWrite.Directory", "Sites.FullControl.All"];

function shuffle<T>(list: T[], rand: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
  return list;
}

function pickScopes(rand: () => number): string {
  const total = DELEGATED.reduce((s, [, w]) => s + w, 0);
  const n = 2 + Math.floor(rand() * 6);
  const out = new Set<string>();
  for (let i = 0; i < n * 2 && out.size < n; i++) {
    let r = rand() * total;
    for (const [name, w] of DELEGATED) { r -= w; if (r <= 0) { out.add(name); break; } }
  }
  return [...out].join(" ");
}

/**
 * Fill the tenant with a large, realistic, deterministic (by seed) population of third-party apps,
 * delegated grants and application permissions — for paging, inventory and benchmark runs. Grants
 * are unique per (client, resource, consentType, principal) by construction, so the tenant stays
 * valid. Writes no audit entries and no replication timestamps.
 */
export function generateLargeTenant(t: Tenant, opts: GenerateOptions = {}): GenerateResult {
  const started = performance.now();
  const nSp = opts.servicePrincipals ?? 10_000;
  const rand = seededRandom(opts.seed ?? 42);
  const graph = t.servicePrincipalByAppId(MICROSOFT_GRAPH_APP_ID);
  const exchange = t.servicePrincipalByAppId("00000002-0000-0ff1-ce00-000000000000");
  if (!graph) throw new Error("generateLargeTenant needs the Microsoft Graph service principal in the tenant");

  const domain = t.state.organization.defaultDomain;
  const newUsers: User[] = [];
  for (let i = 0; i < (opts.users ?? 200); i++) {
    const u: User = { id: seededGuid(rand), displayName: `Generated User ${i + 1}`, userPrincipalName: `gen.user${i + 1}@${domain}`,
      mail: `gen.user${i + 1}@${domain}`, jobTitle: null, accountEnabled: rand() > 0.03, userType: "Member" };
    t.state.users.set(u.id, u);
    newUsers.push(u);
  }
  const userIds = [...t.state.users.keys()];

  const publisherTenants = PUBLISHERS.map(() => seededGuid(rand));
  const verified = PUBLISHERS.map(() => rand() < 0.6);
  const sps: ServicePrincipal[] = [];
  for (let i = 0; i < nSp; i++) {
    const p = Math.floor(rand() * PUBLISHERS.length);
    const publisher = PUBLISHERS[p] ?? "Unknown";
    const name = `${publisher} ${PRODUCTS[Math.floor(rand() * PRODUCTS.length)] ?? "App"} ${i + 1}`;
    const appId = seededGuid(rand);
    const s: ServicePrincipal = {
      id: seededGuid(rand), appId, displayName: name, appDisplayName: name, appOwnerOrganizationId: publisherTenants[p] ?? null,
      publisherName: publisher,
      verifiedPublisher: verified[p] ? { displayName: publisher, verifiedPublisherId: String(1_000_000 + p), addedDateTime: "2022-01-01T00:00:00Z" }
        : { displayName: null, verifiedPublisherId: null, addedDateTime: null },
      homepage: `https://app${i + 1}.example.com`, replyUrls: [`https://app${i + 1}.example.com/callback`], servicePrincipalNames: [appId],
      servicePrincipalType: "Application", signInAudience: "AzureADMultipleOrgs", accountEnabled: rand() > 0.02,
      appRoleAssignmentRequired: rand() < 0.1, tags: rand() < 0.15 ? ["WindowsAzureActiveDirectoryIntegratedApp", "HideApp"] : ["WindowsAzureActiveDirectoryIntegratedApp"],
      notes: null, oauth2PermissionScopes: [], appRoles: [], createdDateTime: new Date(Date.UTC(2019, 0, 1) + Math.floor(rand() * 2.2e11)).toISOString(),
    };
    t.state.servicePrincipals.set(s.id, s);
    t.indexServicePrincipal(s);
    sps.push(s);
  }

  // grant slot k of app i: slot 0 = tenant-wide Graph grant, then per-user Graph grants, then Exchange
  const slotsPerSp = 1 + userIds.length + (exchange ? 1 : 0);
  const nGrants = Math.min(opts.grants ?? 30_000, nSp * slotsPerSp);
  const userOrder = shuffle([...userIds], rand);
  let grants = 0;
  for (let g = 0; g < nGrants; g++) {
    const client = sps[g % nSp];
    const slot = Math.floor(g / nSp);
    if (!client) continue;
    const offset = (g % nSp) % userOrder.length;
    const isExchange = exchange !== undefined && slot === slotsPerSp - 1;
    const principalId = slot === 0 || isExchange ? null : (userOrder[(offset + slot - 1) % userOrder.length] ?? null);
    const id = seededOpaqueId(rand);
    t.state.grants.set(id, {
      id, clientId: client.id, consentType: principalId === null ? "AllPrincipals" : "Principal", principalId,
      resourceId: isExchange && exchange ? exchange.id : graph.id, scope: isExchange ? "EWS.AccessAsUser.All" : pickScopes(rand),
    });
    grants++;
  }

  const roleIds = APP_ROLES.map((v) => graph.appRoles.find((r) => r.value === v)).filter((r) => r !== undefined);
  const nAssign = Math.min(opts.appRoleAssignments ?? 15_000, nSp * roleIds.length);
  let assignments = 0;
  for (let a = 0; a < nAssign; a++) {
    const client = sps[a % nSp];
    // rotate the role list per app so low-risk reads dominate but every role appears
    const role = roleIds[(Math.floor(a / nSp) + ((a % nSp) % 3)) % roleIds.length];
    if (!client || !role) continue;
    const id = seededOpaqueId(rand);
    t.state.appRoleAssignments.set(id, {
      id, appRoleId: role.id, createdDateTime: client.createdDateTime, deletedDateTime: null, principalDisplayName: client.displayName,
      principalId: client.id, principalType: "ServicePrincipal", resourceDisplayName: graph.displayName, resourceId: graph.id,
    });
    assignments++;
  }
  return { servicePrincipals: nSp, grants, appRoleAssignments: assignments, users: newUsers.length, ms: performance.now() - started };
}

async function cli(argv: string[]): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    const v = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number`);
    return v;
  };
  const { loadTenantFromFixtures } = await import("./state/fixtures");
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const tenant = loadTenantFromFixtures();
  const loadMs = performance.now() - t0;
  const r = generateLargeTenant(tenant, {
    servicePrincipals: arg("sps", 10_000), grants: arg("grants", 30_000), appRoleAssignments: arg("assignments", 15_000),
    users: arg("users", 200), seed: arg("seed", 42),
  });
  const s0 = performance.now();
  tenant.snapshot();
  const snapshotMs = performance.now() - s0;
  const q0 = performance.now();
  const someClient = [...tenant.state.servicePrincipals.values()].at(-1)?.id ?? "";
  const found = [...tenant.state.grants.values()].filter((g) => g.clientId === someClient).length;
  const queryMs = performance.now() - q0;
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
  console.log(JSON.stringify({
    generated: { servicePrincipals: r.servicePrincipals, grants: r.grants, appRoleAssignments: r.appRoleAssignments, users: r.users },
    fixtureLoadMs: Math.round(loadMs), generateMs: Math.round(r.ms), snapshotMs: Math.round(snapshotMs),
    scanGrantsByClientMs: Number(queryMs.toFixed(2)), grantsForOneClient: found,
    rssBefore: mb(rssBefore), rssAfter: mb(process.memoryUsage().rss), peakRss: mb(process.resourceUsage().maxRSS * 1024),
  }, null, 2));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  cli(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
