import "server-only";
import { saveBaseline, type BaselineWriter } from "@/lib/baseline/store";
import { classificationsWizard } from "@/lib/consent/classifications";
import { HIGH_RISK_ACK } from "@/lib/consent/classifications/plan";
import { consentWorkflowWizard } from "@/lib/consent/consent-workflow";
import { readWorkflowPolicy } from "@/lib/consent/consent-workflow/load";
import { workflowVersion } from "@/lib/consent/consent-workflow/plan";
import { explainFailure } from "@/lib/consent/engine/failure";
import type { ChangeContext, StepResult } from "@/lib/consent/engine/run-step";
import { isRefusal, type Wizard, type WizardReadContext } from "@/lib/consent/engine/wizard";
import { groupConsentWizard } from "@/lib/consent/group-consent";
import { userConsentWizard } from "@/lib/consent/user-consent";
import { CUSTOM_USER_CONSENT_REFUSAL } from "./blocks";
import { changedBaselines, classificationChange, diffSettings, type SettingsDiff } from "./diff";
import { CHOICE_OF_POLICY, readTenantSettings, settingsFingerprint, type ReadOptions } from "./read";
import { SECTION_TITLES, SECTIONS, type SectionKey, type SettingsDocument, type SettingsSpec } from "./schema";

/**
 * Applies a document: each section that differs from the tenant goes through its own wizard — the same
 * load (role checks, Entra's refusals) and execute (each change a change-engine step: locked, audited,
 * read back) as when an admin uses the wizard by hand — and each changed baseline is saved as an
 * audited "baseline.settings-document" event. Sections are independent: one the admin's role cannot
 * change is blocked with the wizard's reason while the others go ahead.
 */

export type SectionStatus = "applied" | "unchanged" | "blocked" | "failed" | "partial" | "not-in-document";
export type SectionOutcome = { section: SectionKey; title: string; status: SectionStatus; reason: string | null; steps: StepResult[] };
export type ApplyOutcome = { ok: true; sections: SectionOutcome[]; diff: SettingsDiff } | { ok: false; message: string };

export type ApplyContext = {
  read: WizardReadContext;
  change: ChangeContext;
  baselineWriter: BaselineWriter;
  readOptions: ReadOptions;
};

export const CHANGED_SINCE_PREVIEW =
  "The tenant's consent settings changed after your preview (another admin, or a change in Entra), so applying now could do something you did not see. Compare the document again. Nothing was changed.";

function statusOf(steps: readonly StepResult[]): SectionStatus {
  if (steps.some((s) => s.status === "failed")) return steps.some((s) => s.status === "done") ? "partial" : "failed";
  if (steps.some((s) => s.status === "partial")) return "partial";
  if (steps.some((s) => s.status === "blocked")) return steps.some((s) => s.status === "done") ? "partial" : "blocked";
  return steps.some((s) => s.status === "done") ? "applied" : "unchanged";
}

/** One section through one wizard: its refusal blocks only this section. */
async function throughWizard<Input extends { justification: string }, Plan>(
  context: ApplyContext,
  section: SectionKey,
  wizard: Wizard<Input, Plan>,
  input: Input,
): Promise<SectionOutcome> {
  const title = SECTION_TITLES[section];
  try {
    const plan = await wizard.load(context.read, input);
    if (isRefusal(plan)) return { section, title, status: "blocked", reason: plan.refusal, steps: [] };
    const steps = await wizard.execute(context.change, plan, input);
    return { section, title, status: statusOf(steps), reason: null, steps };
  } catch (error) {
    return { section, title, status: "failed", reason: explainFailure(error), steps: [] };
  }
}

async function applyBaselines(context: ApplyContext, tenant: SettingsSpec, document: SettingsSpec): Promise<SectionOutcome> {
  const steps: StepResult[] = [];
  for (const entry of changedBaselines(tenant.baselines ?? [], document.baselines ?? [])) {
    const label = `Baseline of ${entry.displayName}`;
    try {
      const saved = await saveBaseline(
        {
          appId: entry.appId,
          displayName: entry.displayName,
          permissions: entry.permissions.map((p) => ({ resourceAppId: p.resourceAppId, resourceName: p.resourceName, consentType: p.consentType, value: p.value })),
          verifiedPublisher: entry.verifiedPublisher,
          source: "settings-document",
          justification: context.change.justification,
        },
        context.baselineWriter,
      );
      steps.push({ label, status: "done", detail: `Approved ${saved.permissions.length} permission${saved.permissions.length === 1 ? "" : "s"} (version ${saved.version}).` });
    } catch (error) {
      steps.push({ label, status: "failed", detail: explainFailure(error) });
    }
  }
  return { section: "baselines", title: SECTION_TITLES.baselines, status: statusOf(steps), reason: null, steps };
}

async function applySection(context: ApplyContext, section: SectionKey, tenant: SettingsSpec, document: SettingsSpec, ack: boolean): Promise<SectionOutcome> {
  const justification = context.change.justification;
  const title = SECTION_TITLES[section];
  switch (section) {
    case "userConsent": {
      const policy = document.userConsent!.policy;
      if (policy === "custom") {
        return { section, title, status: "blocked", reason: CUSTOM_USER_CONSENT_REFUSAL, steps: [] };
      }
      return throughWizard(context, section, userConsentWizard, { choice: CHOICE_OF_POLICY[policy], justification });
    }
    case "adminConsentWorkflow": {
      const w = document.adminConsentWorkflow!;
      // The wizard refuses a basis other than the workflow it reads: the document was compared with it just now.
      const basis = workflowVersion(await readWorkflowPolicy(context.read.graph.client));
      return throughWizard(context, section, consentWorkflowWizard, {
        isEnabled: w.enabled,
        notifyReviewers: w.notifyReviewers,
        remindersEnabled: w.remindersEnabled,
        requestDurationInDays: w.requestDurationInDays,
        reviewer: w.reviewers.map((r) => ({ kind: r.type, id: r.id })),
        basis,
        justification,
      });
    }
    case "classifications": {
      const { add, remove } = classificationChange(tenant.classifications?.lowImpact ?? [], document.classifications!.lowImpact);
      return throughWizard(context, section, classificationsWizard, { add, remove, ack: ack ? HIGH_RISK_ACK : undefined, justification });
    }
    case "groupOwnerConsent": {
      const g = document.groupOwnerConsent!;
      return throughWizard(context, section, groupConsentWizard, { mode: g.mode, groupId: g.mode === "group" ? (g.groupId ?? null) : null, justification });
    }
    case "baselines":
      return applyBaselines(context, tenant, document);
  }
}

/**
 * `fingerprint`: the tenant's settings as the admin previewed them (settingsFingerprint); applying is
 * refused when they are no longer so. `ack`: the admin acknowledged classifying high-risk permissions.
 */
export async function applySettingsDocument(context: ApplyContext, document: SettingsDocument, options: { fingerprint: string | null; ack: boolean }): Promise<ApplyOutcome> {
  const tenant = await readTenantSettings(context.read.graph, context.readOptions);
  if (options.fingerprint !== null && settingsFingerprint(tenant.spec) !== options.fingerprint) return { ok: false, message: CHANGED_SINCE_PREVIEW };
  const diff = diffSettings(tenant.spec, document.spec);
  const sections: SectionOutcome[] = [];
  for (const section of SECTIONS) {
    const state = diff.sections.find((s) => s.section === section)!.state;
    if (state === "not-in-document") sections.push({ section, title: SECTION_TITLES[section], status: "not-in-document", reason: null, steps: [] });
    else if (state === "same") sections.push({ section, title: SECTION_TITLES[section], status: "unchanged", reason: null, steps: [] });
    else sections.push(await applySection(context, section, tenant.spec, document.spec, options.ack));
  }
  return { ok: true, sections, diff };
}
