"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused, type ActionResult } from "@/lib/actions/result";
import { auditLog, AuditUnavailableError } from "@/lib/audit";
import { db } from "@/lib/db";
import { notificationOutbox } from "@/lib/notifications";
import { recordAttestation } from "@/lib/recertification/core";
import { mayAttest } from "@/lib/recertification/query";
import { attestSchema } from "@/lib/validations/recertification";

/**
 * "Still needed, still these permissions" (or "no longer needed"), from the link in the reminder mail.
 * Anyone signed in may post it, so the action checks for itself that the person is the app's named
 * owner, a reviewer or an admin before anything is written.
 */
export const attestAction = authorizedAction(["user", "reviewer", "admin"], attestSchema, async (input, { user, actor, request }): Promise<ActionResult<{ dueAt: string }>> => {
  const row = await db().appRecertification.findUnique({ where: { appId: input.appId } });
  if (!row) return refused("This app has no approved baseline, so there is nothing to re-attest. Nothing was recorded.");
  if (!mayAttest(user, row)) return refused("Only the app's named owner, reviewers and admins can attest it. Nothing was recorded.");
  if (row.revokedAt) return refused(`The consent of ${row.displayName} was revoked, so there is nothing to attest; an admin can grant it again. Nothing was recorded.`);
  try {
    const { dueAt, notified } = await recordAttestation({ prisma: db(), audit: auditLog(), ...notificationOutbox() }, { appId: input.appId, decision: input.decision, note: input.note }, { actor, context: request }, new Date());
    revalidatePath(`/attest/${input.appId}`);
    revalidatePath("/review/recertification");
    const day = dueAt.toISOString().slice(0, 10);
    return input.decision === "attested"
      ? { ok: true, message: `Thank you: ${row.displayName} is re-attested. The next re-attestation is due on ${day}.`, data: { dueAt: dueAt.toISOString() } }
      : { ok: true, message: `Recorded: you propose that the consent of ${row.displayName} be revoked. ${notified ? "The admins are notified and see" : "The admins see"} it on the recertification dashboard.`, data: { dueAt: dueAt.toISOString() } };
  } catch (error) {
    if (error instanceof AuditUnavailableError) return refused(error.message);
    throw error;
  }
});
