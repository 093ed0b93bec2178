"use server";

import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import { AuditUnavailableError } from "@/lib/audit";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused, type ActionResult } from "@/lib/actions/result";
import { addAppFromReference } from "@/lib/catalog/add-app";
import { explainFailure } from "@/lib/consent/engine";
import { addCatalogAppSchema } from "@/lib/validations/catalog";

/** Adds an app to the catalog by app ID, pasted URL, or a service principal already in the tenant. */
export const addCatalogAppAction = authorizedAction(["admin"], addCatalogAppSchema, async (input, { user, actor, request }): Promise<ActionResult<{ appId: string }>> => {
  try {
    const outcome = await addAppFromReference(user, input, { actor, request });
    if (!outcome.ok) {
      // Sent back so the form keeps what was typed (React resets a form after its action runs).
      const values = { reference: input.reference, displayName: input.displayName ?? "", permissions: input.permissions.join(" ") };
      return { ok: false, message: `${outcome.message} Nothing was stored.`, fieldErrors: { [outcome.field]: [outcome.message] }, values };
    }
    revalidatePath("/admin/apps");
    return { ok: true, message: `${outcome.displayName} was added to the catalog.`, data: { appId: outcome.appId } };
  } catch (error) {
    // An ended sign-in redirects to sign in again: that is not a failure to explain.
    unstable_rethrow(error);
    if (error instanceof AuditUnavailableError) return refused(error.message);
    return refused(`${explainFailure(error)} Nothing was stored.`);
  }
});
