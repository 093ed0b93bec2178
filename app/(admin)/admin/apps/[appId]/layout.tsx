import type { ReactNode } from "react";
import { requireRole } from "@/lib/auth/guards";
import { knownAppOrNotFound } from "@/lib/catalog/known-app";

/**
 * The app pages' own checks, run once more outside their loading.tsx boundary: a response whose skeleton
 * has already streamed cannot become a 403 or a 404, so both must answer before it (signed-out visitors
 * are sent to sign-in earlier still, by proxy.ts). Each page still checks for itself (S1).
 */
export default async function Layout({ children, params }: { children: ReactNode; params: Promise<{ appId: string }> }) {
  const { appId } = await params;
  const user = await requireRole(["admin"], `/admin/apps/${appId}`);
  // Apps the catalog does not list but the tenant holds have a page too (their state, revoking); the
  // pages that need the catalog (grant, consent link, recipe, access) answer 404 for them in (catalog)/layout.tsx.
  await knownAppOrNotFound(user, appId);
  return children;
}
