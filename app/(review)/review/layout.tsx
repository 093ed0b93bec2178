import type { ReactNode } from "react";
import { requireRole } from "@/lib/auth/guards";

/**
 * The page's own role check, run once more outside its loading.tsx boundary: a response whose skeleton
 * has already streamed cannot become a redirect or a 403, so the check must answer before the skeleton.
 * The page still checks for itself (S1).
 */
export default async function Layout({ children }: { children: ReactNode }) {
  await requireRole(["reviewer", "admin"], "/review");
  return children;
}
