import "server-only";
import { notFound } from "next/navigation";
import type { SignedInUser } from "@/lib/auth/guards";
import { findServicePrincipal } from "@/lib/consent/app-state";
import { readAsUser } from "@/lib/consent/engine/wizard";
import type { GraphSession } from "@/lib/graph/client";
import { guid } from "@/lib/validations/common";
import { findCatalogApp, tenantOnlyApp, type KnownApp } from "./index";

/**
 * The catalog's app, or, when the catalog does not list it, the app as its service principal in the
 * tenant describes it (`source: "tenant only"`); null when it is in neither. Revoking acts on what the
 * tenant holds, so any app with a service principal can be revoked: most apps an inventory finds were
 * consented to outside the portal and are not in its catalog.
 */
export async function findKnownApp(graph: GraphSession, appId: string): Promise<KnownApp | null> {
  const cataloged = await findCatalogApp(appId);
  if (cataloged) return cataloged;
  const sp = await findServicePrincipal(graph.client, appId);
  return sp ? tenantOnlyApp(sp) : null;
}

/** For app pages: the app a page's `[appId]` names, read as the signed-in admin, or the 404 page when it is in neither the catalog nor the tenant. */
export async function knownAppOrNotFound(user: SignedInUser, rawAppId: string): Promise<KnownApp> {
  const appId = guid.safeParse(rawAppId);
  const app = appId.success ? await readAsUser(user, (graph) => findKnownApp(graph, appId.data)) : null;
  if (!app) notFound();
  return app;
}
