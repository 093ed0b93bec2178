import "server-only";
import type { Wizard } from "../engine/wizard";
import { executeClassifications } from "./execute";
import { loadClassifications } from "./load";
import { classificationNotes, type ClassificationPlan } from "./plan";
import { classificationApplySchema, type ClassificationInput } from "./schema";

/** Low-impact permission classifications (seed 000 option 3): what users may consent to under the recommended setting. */
export const classificationsWizard: Wizard<ClassificationInput, ClassificationPlan> = {
  roles: ["admin"],
  schema: classificationApplySchema,
  load: loadClassifications,
  execute: (context, plan) => executeClassifications(context, plan),
  describe: (plan) => {
    const parts = [
      plan.toAdd.length ? `classified ${plan.toAdd.map((a) => a.permissionName).join(", ")} as low impact` : "",
      plan.toRemove.length ? `removed ${plan.toRemove.map((r) => r.permissionName).join(", ")}` : "",
    ].filter(Boolean);
    return {
      done: `Done: ${parts.join("; ")}.`,
      unchanged: "Nothing to change: the classifications are already as chosen.",
      before: plan.beforeWords,
      after: plan.afterWords,
      notes: classificationNotes(plan),
      revalidate: ["/admin/policies"],
    };
  },
};
