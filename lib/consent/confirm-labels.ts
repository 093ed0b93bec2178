import type { AccessPlan } from "./access/plan";
import type { ClassificationPlan } from "./classifications/plan";
import type { GrantPlan } from "./grant/plan";
import type { RevokePlan } from "./revoke/plan";

/**
 * The words on each wizard's confirm button: what pressing it will really do, counted from the plan
 * the preview shows ("Grant 59 permissions to all users"), never a generic "Apply". Blocked and
 * already-present items are not counted: they are not done.
 */

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "a, b and c" */
function sentence(parts: string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function grantLabel(plan: GrantPlan, approving: boolean): string {
  const delegated = plan.delegated.reduce((n, change) => n + (change.blockedReason ? 0 : change.add.length), 0);
  const appRoles = plan.appRoles.filter((change) => !change.blockedReason && !change.alreadyAssigned).length;
  const count = delegated + appRoles;
  if (count === 0) return approving ? "Approve the request (everything asked for is granted already)" : "Nothing to grant";
  const grant = `Grant ${plural(count, "permission")} to all users`;
  return approving ? `${grant} and approve the request` : grant;
}

export function revokeLabel(plan: RevokePlan, appName: string): string {
  if (plan.deleteServicePrincipal) return "Delete the app from the tenant";
  if (plan.block) return `Block ${appName}`;
  const scopes = plan.scopes.reduce((n, removal) => n + removal.remove.length, 0);
  const appRoles = plan.appRoles.filter((removal) => !removal.blockedReason && !removal.notGranted).length;
  const parts = [
    scopes + appRoles > 0 ? `revoke ${plural(scopes + appRoles, "permission")}` : null,
    plan.users.length > 0 ? `${scopes + appRoles > 0 ? "" : "revoke "}${plural(plan.users.length, "user's own consent", "users' own consents")}` : null,
  ].filter((part): part is string => part !== null);
  return parts.length ? capitalized(sentence(parts)) : "Nothing to revoke";
}

export function accessLabel(plan: AccessPlan, appName: string): string {
  const switches = plan.servicePrincipalBlockedReason === null;
  const flag = (change: AccessPlan["assignmentRequired"], on: string, off: string) => (switches && change.changes ? [change.to ? on : off] : []);
  const assign = plan.assign.filter((entry) => !entry.alreadyAssigned).length;
  const parts = [
    ...flag(plan.assignmentRequired, "require assignment", "stop requiring assignment"),
    ...(assign > 0 ? [`assign ${plural(assign, "user or group", "users or groups")}`] : []),
    ...(plan.unassign.length > 0 ? [`unassign ${plural(plan.unassign.length, "user or group", "users or groups")}`] : []),
    ...flag(plan.signInEnabled, "enable sign-in", "disable sign-in"),
    ...flag(plan.hidden, "hide it from My Apps", "show it in My Apps"),
  ];
  return parts.length ? `For ${appName}: ${sentence(parts)}` : "Nothing to change";
}

export function classificationsLabel(plan: Pick<ClassificationPlan, "toAdd" | "toRemove">): string {
  const parts = [
    ...(plan.toAdd.length > 0 ? [`mark ${plural(plan.toAdd.length, "permission")} low impact`] : []),
    ...(plan.toRemove.length > 0 ? [`${plan.toAdd.length > 0 ? "unmark" : "remove the low-impact mark from"} ${plural(plan.toRemove.length, "permission")}`] : []),
  ];
  return parts.length ? capitalized(sentence(parts)) : "Nothing to change";
}

export function userConsentLabel(optionTitle: string): string {
  return `Change user consent to: ${optionTitle}`;
}
