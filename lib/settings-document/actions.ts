import "server-only";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import type { ActionContext } from "@/lib/actions/authorized-action";
import type { ActionResult } from "@/lib/actions/result";
import { AuditUnavailableError } from "@/lib/audit";
import { changeEngine } from "@/lib/consent/engine";
import { explainFailure } from "@/lib/consent/engine/failure";
import type { GraphCallRecord } from "@/lib/graph/middleware";
import { graphForUser } from "@/lib/graph/session";
import { env } from "@/lib/env";
import { applySettingsDocument, type SectionOutcome } from "./apply";
import { sectionBlocks } from "./blocks";
import { diffSettings, type SettingsDiff } from "./diff";
import type { applyDocumentSchema, compareDocumentSchema } from "./form-schema";
import { readTenantSettings, settingsFingerprint, withDirectoryNames } from "./read";
import type { SectionKey } from "./schema";
import { parseSettingsDocument, type DocumentFormat, type DocumentProblem } from "./serialize";

/**
 * The settings-document pages' server actions, behind authorizedAction (the app/ files are one line
 * each): compare a document with the tenant (reviewers and admins, reads only), and apply it (admins).
 */

export type ComparedDocument = {
  diff: SettingsDiff;
  fingerprint: string;
  format: DocumentFormat;
  /** Why a changed section cannot be applied by this person (role, Entra), by section. */
  blocks: Partial<Record<SectionKey, string>>;
};
export type AppliedDocument = { sections: SectionOutcome[]; calls: GraphCallRecord[] };

const INVALID = "The document is not a valid consent settings document. Nothing was changed.";

/** Each problem under its path, the way the form lists field errors. */
function problemsAsFieldErrors(problems: DocumentProblem[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const problem of problems) (out[problem.path] ??= []).push(problem.message);
  return out;
}

const readOptions = (context: ActionContext) => ({ tenantId: env().tenant.tenantId, exportedBy: context.user.upn });

export async function compareDocument(input: z.output<typeof compareDocumentSchema>, context: ActionContext): Promise<ActionResult<ComparedDocument>> {
  const parsed = parseSettingsDocument(input.document);
  if (!parsed.ok) return { ok: false, message: INVALID, fieldErrors: problemsAsFieldErrors(parsed.problems) };
  try {
    const graph = await graphForUser(context.user);
    const [tenant, document] = await Promise.all([readTenantSettings(graph, readOptions(context)), withDirectoryNames(graph, parsed.document.spec)]);
    const diff = diffSettings(tenant.spec, document);
    const blocks = context.user.role === "admin" ? sectionBlocks(diff, context.user.wids, tenant.spec, parsed.document.spec) : {};
    const count = diff.sections.filter((s) => s.state === "changed").length;
    return {
      ok: true,
      message: diff.changed ? `Applying this document would change ${count} section${count === 1 ? "" : "s"} of the tenant's consent settings.` : "The tenant already has these settings: applying this document would change nothing.",
      data: { diff, fingerprint: settingsFingerprint(tenant.spec), format: parsed.format, blocks },
    };
  } catch (error) {
    return { ok: false, message: explainFailure(error, "read the tenant's consent settings") };
  }
}

const STATUS_WORDS: Record<SectionOutcome["status"], string> = {
  applied: "applied",
  unchanged: "already so",
  blocked: "blocked",
  failed: "failed",
  partial: "partly applied",
  "not-in-document": "not in the document",
};

export async function applyDocument(input: z.output<typeof applyDocumentSchema>, context: ActionContext): Promise<ActionResult<AppliedDocument>> {
  const parsed = parseSettingsDocument(input.document);
  if (!parsed.ok) return { ok: false, message: INVALID, fieldErrors: problemsAsFieldErrors(parsed.problems) };
  const graph = await graphForUser(context.user);
  try {
    const outcome = await applySettingsDocument(
      {
        read: { graph, user: context.user },
        change: { graph, actor: context.actor, request: context.request, justification: input.justification, engine: changeEngine() },
        baselineWriter: { actor: context.actor, context: context.request },
        readOptions: readOptions(context),
      },
      parsed.document,
      { fingerprint: input.fingerprint, ack: input.ack === "on" },
    );
    if (!outcome.ok) return { ok: false, message: outcome.message };
    revalidatePath("/admin/policies", "layout");
    const touched = outcome.sections.filter((s) => s.status !== "not-in-document" && s.status !== "unchanged");
    const message = touched.length
      ? `${touched.map((s) => `${s.title}: ${STATUS_WORDS[s.status]}`).join("; ")}.`
      : "The tenant already had these settings: nothing was changed.";
    return { ok: true, message, data: { sections: outcome.sections, calls: [...graph.calls] } };
  } catch (error) {
    // A read failed before any change, or the audit trail is unavailable (then nothing was changed either).
    const message = error instanceof AuditUnavailableError ? error.message : `${explainFailure(error)} Nothing further was changed.`;
    return { ok: false, message };
  }
}
