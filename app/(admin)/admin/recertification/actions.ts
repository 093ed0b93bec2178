"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused, type ActionResult } from "@/lib/actions/result";
import { auditLog, AuditUnavailableError } from "@/lib/audit";
import { explainFailure } from "@/lib/consent/engine";
import { readAsUser } from "@/lib/consent/engine/wizard";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { directoryOwner, recertificationDeps } from "@/lib/recertification";
import { sendNotice, updateAppSettings, updatePolicies, type AppSettings } from "@/lib/recertification/core";
import { appSettingsSchema, policySchema, sendReminderSchema } from "@/lib/validations/recertification";

/** Recertification's admin settings: per app (owner, period, automatic revocation) and per risk level. Each audited. */

const failure = (error: unknown, what: string) => refused(error instanceof AuditUnavailableError ? error.message : `${explainFailure(error)} ${what}`);

export const saveAppSettingsAction = authorizedAction(["admin"], appSettingsSchema, async (input, { user, actor, request }): Promise<ActionResult<undefined>> => {
  const row = await db().appRecertification.findUnique({ where: { appId: input.appId } });
  if (!row) return refused("This app has no approved baseline. Nothing was saved.");
  try {
    let owner: AppSettings["owner"] = null;
    if (input.ownerOid !== "none") {
      // The owner is whoever the directory says has this object ID now (never a name typed into the form).
      owner = await readAsUser(user, (graph) => directoryOwner(graph, input.ownerOid));
      if (!owner) return { ok: false, message: "That person is not in the directory (any more). Nothing was saved.", fieldErrors: { ownerOid: ["Choose someone from the directory."] } };
    }
    const saved = await updateAppSettings(
      { prisma: db(), audit: auditLog(), tenantId: env().tenant.tenantId },
      input.appId,
      { owner, periodDays: input.periodDays, autoRevoke: input.autoRevoke === "on", warnDays: input.warnDays, graceDays: input.graceDays },
      { actor, context: request, justification: input.justification },
    );
    revalidatePath(`/admin/recertification/${input.appId}`);
    revalidatePath("/review/recertification");
    return { ok: true, message: `Saved. ${saved.displayName} is next due on ${saved.dueAt.toISOString().slice(0, 10)}.`, data: undefined };
  } catch (error) {
    return failure(error, "Nothing was saved.");
  }
});

/** Sends the re-attestation reminder at once, whatever the schedule (a new owner, a lost mail). */
export const sendReminderNowAction = authorizedAction(["admin"], sendReminderSchema, async (input, { actor, request }): Promise<ActionResult<undefined>> => {
  const row = await db().appRecertification.findUnique({ where: { appId: input.appId } });
  if (!row) return refused("This app has no approved baseline. No reminder was sent.");
  if (row.revokedAt) return refused(`The consent of ${row.displayName} was revoked: there is nothing to re-attest. No reminder was sent.`);
  try {
    const deps = recertificationDeps();
    if (deps.outbox.channels().length === 0) return refused("No notification channel is configured (SMTP or a webhook), so no reminder can be sent.");
    await sendNotice(deps, row, "remind", new Date(), { actor, context: request, force: true });
    revalidatePath(`/admin/recertification/${input.appId}`);
    return { ok: true, message: `Reminder sent to ${row.ownerName ? `${row.ownerName} (${row.ownerUpn})` : "the reviewers"}.`, data: undefined };
  } catch (error) {
    return failure(error, "No reminder was sent.");
  }
});

export const savePoliciesAction = authorizedAction(["admin"], policySchema, async (input, { actor, request }): Promise<ActionResult<undefined>> => {
  const { justification, ...periods } = input;
  try {
    await updatePolicies({ prisma: db(), audit: auditLog(), tenantId: env().tenant.tenantId }, periods, { actor, context: request, justification });
    revalidatePath("/admin/recertification");
    revalidatePath("/review/recertification");
    return { ok: true, message: "Saved. Due dates follow the new periods.", data: undefined };
  } catch (error) {
    return failure(error, "Nothing was saved.");
  }
});
