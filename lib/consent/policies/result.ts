import type { ActionResult } from "@/lib/actions/result";
import type { GraphCallRecord } from "@/lib/graph/middleware";

/** What a policy wizard's change returns to its Result step. */
export type PolicyChangeResult = {
  outcome: "succeeded" | "partial" | "unchanged";
  beforeWords: string[];
  afterWords: string[];
  /** Extra lines for the result page, e.g. permissions refused with Graph's reason. */
  notes: string[];
  calls: GraphCallRecord[];
};

/** A refusal or failure that still lists the Graph calls made before it (with their request-ids). */
export type PolicyActionState = ActionResult<PolicyChangeResult> & { calls?: GraphCallRecord[] };
