import type { BaselinePermission } from "@/lib/baseline/types";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";

/** A permission on Microsoft Graph as a baseline (or a settings document) holds it: tenant-wide delegated unless told otherwise. */
export function graphPermission(value: string, consentType: BaselinePermission["consentType"] = "AllPrincipals"): BaselinePermission {
  return { resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceName: "Microsoft Graph", consentType, value };
}
