import { z } from "zod";
import { guid, justification } from "@/lib/validations/common";

/** Accepting or reverting one drift: which, and why (the justification goes into the audit trail). */
export const driftDecisionSchema = z.object({ driftId: guid, justification });
