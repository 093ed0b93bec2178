import type { ReactNode } from "react";
import { catalogAppOrNotFound } from "@/lib/catalog";

/**
 * The wizards that start from the catalog's description of an app (grant, access, consent link, recipe)
 * answer a real 404 for an app the catalog does not list, before their loading.tsx boundary streams a
 * skeleton (after it, the status could no longer change). Each page still checks for itself.
 */
export default async function CatalogWizardLayout({ children, params }: { children: ReactNode; params: Promise<{ appId: string }> }) {
  await catalogAppOrNotFound((await params).appId);
  return children;
}
