import "server-only";
import { createHash } from "node:crypto";
import type { AuditActor, AuditRequestContext } from "@/lib/audit";
import type { GraphSession } from "@/lib/graph/client";
import { readAppState, type AppState } from "@/lib/consent/app-state";
import { heldPermissions, sameApproved } from "./merge";
import { readBaseline, saveBaseline } from "./store";
import { permissionKey, type AppBaselineRecord, type BaselinePermission } from "./types";

/**
 * Adopting an app consented before the portal existed (or outside it): its baseline becomes exactly
 * what the tenant grants it now — tenant-wide scopes, users' own consent, application permissions —
 * read live through Graph, with the admin's justification. The preview and the save read the same way;
 * the fingerprint ties the save to what the preview showed.
 */

export type AdoptionPreview = {
  appId: string;
  displayName: string;
  inTenant: boolean;
  verifiedPublisher: string | null;
  permissions: BaselinePermission[];
  fingerprint: string;
  current: AppBaselineRecord | null;
  /** Compared with the current baseline (empty when there is none). */
  adds: BaselinePermission[];
  drops: BaselinePermission[];
  /** The baseline already is exactly what the tenant holds. */
  unchanged: boolean;
};

export function fingerprintOf(permissions: readonly BaselinePermission[]): string {
  return createHash("sha256").update([...new Set(permissions.map(permissionKey))].sort().join("\n")).digest("hex");
}

export async function previewAdoption(graph: GraphSession, appId: string): Promise<AdoptionPreview> {
  const [state, current] = await Promise.all([readAppState(graph, appId), readBaseline(appId)]);
  return adoptionPreviewOf(appId, state, current);
}

/** The preview from a read the page has already made (the admin app page reads the app's state anyway). */
export function adoptionPreviewOf(appId: string, state: AppState, current: AppBaselineRecord | null): AdoptionPreview {
  const permissions = heldPermissions(state);
  const had = new Set((current?.permissions ?? []).map(permissionKey));
  const has = new Set(permissions.map(permissionKey));
  return {
    appId,
    displayName: state.servicePrincipal?.displayName ?? current?.displayName ?? appId,
    inTenant: state.servicePrincipal !== null,
    verifiedPublisher: state.servicePrincipal?.verifiedPublisher ?? null,
    permissions,
    fingerprint: fingerprintOf(permissions),
    current,
    adds: current ? permissions.filter((p) => !had.has(permissionKey(p))) : [],
    drops: current ? current.permissions.filter((p) => !has.has(permissionKey(p))) : [],
    unchanged: current !== null && sameApproved(current.permissions, permissions),
  };
}

export type AdoptOutcome = { ok: true; baseline: AppBaselineRecord } | { ok: false; reason: string };

export async function adoptIntoBaseline(
  who: { graph: GraphSession; actor: AuditActor; request: AuditRequestContext },
  input: { appId: string; fingerprint: string; justification: string },
): Promise<AdoptOutcome> {
  const preview = await previewAdoption(who.graph, input.appId);
  if (!preview.inTenant) return { ok: false, reason: "The app is not in the tenant, so there is nothing it holds to adopt." };
  if (preview.fingerprint !== input.fingerprint) {
    return { ok: false, reason: "What the tenant grants the app changed since your preview. Look at the preview again and adopt what it shows now." };
  }
  if (preview.permissions.length === 0) return { ok: false, reason: "The app holds no consent in the tenant: there is nothing to adopt." };
  if (preview.unchanged) return { ok: false, reason: `The baseline (version ${preview.current!.version}) already is exactly what the tenant grants.` };
  const baseline = await saveBaseline(
    {
      appId: preview.appId,
      displayName: preview.displayName,
      permissions: preview.permissions,
      verifiedPublisher: preview.verifiedPublisher,
      source: "adopted",
      justification: input.justification,
      requestId: null,
    },
    { actor: who.actor, context: who.request },
  );
  return { ok: true, baseline };
}
