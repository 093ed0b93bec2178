import type { ReactNode } from "react";
import { requireRole } from "@/lib/auth/guards";

/**
 * The policy pages' own role check, run once more outside their loading.tsx boundary: a response whose
 * skeleton has already streamed cannot become a 403 (signed-out visitors are sent to sign-in earlier
 * still, by proxy.ts). Each page still checks for itself (S1).
 */
export default async function Layout({ children }: { children: ReactNode }) {
  await requireRole(["admin"], "/admin/policies");
  return children;
}
