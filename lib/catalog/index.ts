import "server-only";
import { notFound } from "next/navigation";
import { z } from "zod";
import { db } from "@/lib/db";
import { guid } from "@/lib/validations/common";
import starting from "./starting-catalog.json";

export type CatalogPermissions = { resourceAppId: string; scopes: string[]; appRoles: string[] }[];

export type CatalogApp = {
  appId: string;
  displayName: string;
  publisher: string | null;
  verifiedPublisher: boolean;
  /** The vendor article this entry comes from, when it ships with the portal. */
  article: string | null;
  permissions: CatalogPermissions;
  source: "starting catalog" | "added by an admin";
};

const permissionsSchema = z.array(z.object({ resourceAppId: z.string(), scopes: z.array(z.string()), appRoles: z.array(z.string()) }));

const STARTING: CatalogApp[] = starting.apps.map((app) => ({ ...app, source: "starting catalog" as const }));

/** The catalog: the apps that ship with the portal, then those admins added, by name. */
export async function listCatalog(): Promise<CatalogApp[]> {
  const rows = await db().catalogApp.findMany({ orderBy: { displayName: "asc" } });
  const added = rows
    .filter((row) => !STARTING.some((app) => app.appId === row.appId))
    .map((row) => ({
      appId: row.appId,
      displayName: row.displayName,
      publisher: row.publisher,
      verifiedPublisher: row.verifiedPublisher,
      article: row.articleUrl,
      permissions: permissionsSchema.catch([]).parse(row.permissions),
      source: "added by an admin" as const,
    }));
  return [...STARTING, ...added].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export async function findCatalogApp(appId: string): Promise<CatalogApp | null> {
  const id = appId.toLowerCase();
  return STARTING.find((app) => app.appId === id) ?? (await listCatalog()).find((app) => app.appId === id) ?? null;
}

export async function addCatalogApp(app: Omit<CatalogApp, "source" | "article">, addedBy: { oid: string; upn: string }): Promise<void> {
  await db().catalogApp.upsert({
    where: { appId: app.appId },
    create: { ...app, permissions: app.permissions, addedByOid: addedBy.oid, addedByUpn: addedBy.upn },
    update: {},
  });
}

/**
 * An app the catalog does not list, described from its service principal in the tenant (name,
 * publisher, verified publisher as Graph gives them). Enough to revoke what the tenant holds, which
 * needs no catalog; not enough to grant, which needs the catalog's list of what the app asks for.
 */
export type TenantOnlyApp = Omit<CatalogApp, "source"> & { source: "tenant only" };

/** What the revoke wizard and the app page act on: the catalog's entry, else the app as the tenant describes it. */
export type KnownApp = CatalogApp | TenantOnlyApp;

export const isInCatalog = (app: KnownApp): app is CatalogApp => app.source !== "tenant only";

/** The tenant's service principal, as the one shape pages and wizards know. It asks for nothing the portal knows of: what it holds stands in. */
export function tenantOnlyApp(sp: { appId: string; displayName: string; publisherName: string | null; verifiedPublisher: string | null }): TenantOnlyApp {
  return {
    appId: sp.appId.toLowerCase(),
    displayName: sp.displayName || sp.appId,
    publisher: sp.verifiedPublisher ?? sp.publisherName,
    verifiedPublisher: sp.verifiedPublisher !== null,
    article: null,
    permissions: [],
    source: "tenant only",
  };
}

/** The catalog app a page's `[appId]` names, or the 404 page for anything that is not a cataloged GUID. */
export async function catalogAppOrNotFound(rawAppId: string): Promise<CatalogApp> {
  const appId = guid.safeParse(rawAppId);
  const app = appId.success ? await findCatalogApp(appId.data) : null;
  if (!app) notFound();
  return app;
}
