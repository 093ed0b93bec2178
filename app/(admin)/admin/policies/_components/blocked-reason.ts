import type { Capability } from "@/lib/roles";

const ALREADY_SET = "This is already the tenant's setting: there is nothing to change.";

/**
 * Why a previewed policy change cannot be applied, or null when it can: the role first, then Entra's
 * refusal, then a change that would leave the tenant as it is. The server action checks all three again;
 * this only spares the admin a Confirm step that could not succeed.
 */
export function blockedReason(capability: Capability, plan: { changed: boolean; refusal?: string | null }, nothingToChange = ALREADY_SET): string | null {
  if (!capability.allowed) return `Not with your role: ${capability.reason}`;
  if (plan.refusal) return plan.refusal;
  return plan.changed ? null : nothingToChange;
}
