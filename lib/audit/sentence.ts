import type { AuditRecord } from "./canonical";

/**
 * One change of the audit trail in plain words ("Alex Wilber granted Mail.Send and 3 more to Nylas
 * for all users"), for reviewers who should not need to know the portal's action names. Pure: built
 * from the events of one change (intent and outcome share a correlation id), so it is unit-tested
 * and the page, the dashboard and any export can say the same thing.
 *
 * The sentence is a list of segments; `{ app }` marks the app's name so a page can link or style it.
 */
export type SentenceSegment = string | { app: string };

type Change = { intent: AuditRecord | undefined; head: AuditRecord };

const MICROSOFT_GRAPH = "Microsoft Graph";

function words(scope: unknown): string[] {
  return typeof scope === "string" ? scope.split(/\s+/).filter(Boolean) : [];
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" && key in value ? (value as Record<string, unknown>)[key] : undefined;
}

/** "Mail.Send", "Mail.Send and Mail.Read", "Mail.Send and 3 more". */
export function listOf(items: string[]): string {
  if (items.length === 0) return "no permissions";
  if (items.length === 1) return items[0]!;
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items[0]} and ${items.length - 1} more`;
}

/** Scopes in `a` that are not in `b`, compared without case as Entra does. */
function minus(a: string[], b: string[]): string[] {
  const have = new Set(b.map((s) => s.toLowerCase()));
  return a.filter((s) => !have.has(s.toLowerCase()));
}

/** Target names read "App → Resource [permission]" (lib/consent/*); the app is the part before the arrow. */
function splitTarget(name: string | null): { app: string | null; rest: string } {
  if (!name) return { app: null, rest: "" };
  const at = name.indexOf(" → ");
  return at < 0 ? { app: name, rest: "" } : { app: name.slice(0, at), rest: name.slice(at + 3) };
}

function actorOf(event: AuditRecord): string {
  return event.actorName ?? event.actorUpn ?? (event.source === "entra" ? "Someone in Entra" : "Someone");
}

/** Splits "Mark Test", "Mark test words" to "mark test" for unknown actions: no dotted names on screen. */
function humanize(action: string): string {
  const spaced = action
    .replace(/[._-]+/g, " ")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .trim();
  return spaced || "a change";
}

/**
 * The sentence for one change. `attempt` (intent without outcome, or a failed outcome) words it as
 * "tried to …", so the sentence never claims what did not happen.
 */
export function describeChange(change: Change): SentenceSegment[] {
  const { intent, head } = change;
  const actor = actorOf(head);
  const before = intent?.before ?? head.before;
  const after = head.outcome === "intended" ? null : head.after;
  const done = head.outcome === "succeeded" || head.outcome === "partial";
  const v = (past: string, base: string) => (done ? past : `tried to ${base}`);
  const { app: appName, rest } = splitTarget(head.targetName);
  const app: SentenceSegment = { app: appName ?? head.targetAppId ?? "an app" };
  const resource = rest.split(" for ")[0]?.trim() ?? "";
  const onResource = resource && !resource.startsWith(MICROSOFT_GRAPH) ? ` on ${resource}` : "";

  if (head.source === "entra") {
    return [`${actor}: ${head.action} — `, app, " (in Entra, outside the portal)"];
  }

  if (head.action.startsWith("baseline.")) return baselineSentence(head.action.slice("baseline.".length), actor, app, before, after, v);

  switch (head.action) {
    case "grant.delegated.allPrincipals":
    case "consent.grantDelegated": {
      const added = done ? minus(words(field(after, "scope")), words(field(before, "scope"))) : [];
      if (done && added.length === 0) return [`${actor} confirmed the delegated permissions${onResource} of `, app, " for all users (already granted)"];
      return [`${actor} ${v("granted", "grant")} ${done ? listOf(added) : "delegated permissions"}${onResource} to `, app, " for all users"];
    }
    case "grant.applicationPermission": {
      const permission = rest.split(" ").at(-1) ?? "";
      return [`${actor} ${v("granted", "grant")} the application permission ${permission} to `, app];
    }
    case "revoke.delegated.allPrincipals": {
      const removed = minus(words(field(before, "scope")), words(field(after, "scope")));
      return [`${actor} ${v("revoked", "revoke")} ${removed.length ? listOf(removed) : "delegated permissions"}${onResource} from `, app, " for all users"];
    }
    case "revoke.applicationPermission": {
      const permission = rest.split(" ").at(-1) ?? "";
      return [`${actor} ${v("removed", "remove")} the application permission ${permission} from `, app];
    }
    case "revoke.delegated.principal": {
      const user = rest.split(" for ").at(1) ?? "one user";
      return [`${actor} ${v("revoked", "revoke")} ${user}'s own consent to `, app];
    }
    case "servicePrincipal.create":
      return [`${actor} ${v("added", "add")} `, app, " to the tenant"];
    case "servicePrincipal.delete":
      return [`${actor} ${v("deleted", "delete")} `, app, " from the tenant"];
    case "access.assignmentRequired":
      return field(after ?? {}, "appRoleAssignmentRequired") === false
        ? [`${actor} ${v("stopped", "stop")} requiring user assignment for `, app]
        : [`${actor} ${v("required", "require")} user assignment for `, app];
    case "access.signIn":
      return field(after ?? {}, "accountEnabled") === true
        ? [`${actor} ${v("enabled", "enable")} sign-in to `, app]
        : [`${actor} ${v("disabled", "disable")} sign-in to `, app];
    case "access.visibility":
      return field(after ?? {}, "hidden") === false ? [`${actor} ${v("showed", "show")} `, app, " to users"] : [`${actor} ${v("hid", "hide")} `, app, " from users"];
    case "access.assign":
    case "access.unassign": {
      // Assignment targets read "Principal → App (role)".
      const principal = appName ?? "someone";
      const target: SentenceSegment = { app: rest.replace(/ \(.*\)$/, "") || "an app" };
      return head.action === "access.assign" ? [`${actor} ${v("assigned", "assign")} ${principal} to `, target] : [`${actor} ${v("removed", "remove")} ${principal} from `, target];
    }
    case "policy.userConsent.update":
      return [`${actor} ${v("changed", "change")} who may consent to apps`];
    case "policy.consentWorkflow.update":
      return [`${actor} ${v("changed", "change")} the admin consent workflow`];
    case "policy.groupConsent.update":
    case "policy.ownedResourceConsent.update":
      return [`${actor} ${v("changed", "change")} group-owner consent`];
    case "policy.classification.add":
    case "policy.classification.remove": {
      const permission = String(field(before, "permissionName") ?? (head.targetName ?? "").replace(/^Low-impact classification: /, ""));
      return head.action === "policy.classification.add"
        ? [`${actor} ${v("classified", "classify")} ${permission} as low impact`]
        : [`${actor} ${v("removed", "remove")} the low-impact classification of ${permission}`];
    }
    case "consentRequest.create":
      return [`${actor} ${v("asked", "ask")} for approval of `, app];
    case "consentRequest.approve":
      return [`${actor} ${v("approved", "approve")} a request for `, app];
    case "consentRequest.deny":
      return [`${actor} ${v("denied", "deny")} a request for `, app];
    case "entraConsentRequest.deny":
      return [`${actor} ${v("denied", "deny")} Entra's consent request for `, app];
    case "catalog.addApp":
      return [`${actor} ${v("added", "add")} `, app, " to the catalog"];
    case "adminConsentLink.return":
      return [`${actor} came back from the admin consent page for `, app];
    case "audit.importEntraConsents":
      return [`${actor} ${v("imported", "import")} consent events from Entra`];
    case "audit.verifyChain":
      return [`${actor} found the audit trail's hash chain broken at event ${head.targetId ?? "?"}`];
    default:
      return appName || head.targetAppId ? [`${actor} — ${humanize(head.action)} — `, app] : [`${actor} — ${humanize(head.action)}`];
  }
}

/** Permission values of a baseline event's before/after ({ permissions: [{ value }] }), without case duplicates. */
function baselineValues(side: unknown): string[] {
  const permissions = field(side, "permissions");
  return Array.isArray(permissions) ? [...new Set(permissions.flatMap((p) => (typeof field(p, "value") === "string" ? [field(p, "value") as string] : [])))] : [];
}

/** A write of an app's approved baseline (lib/baseline/store.ts: "baseline.<source>"). */
function baselineSentence(source: string, actor: string, app: SentenceSegment, before: unknown, after: unknown, v: (past: string, base: string) => string): SentenceSegment[] {
  const added = minus(baselineValues(after), baselineValues(before));
  const removed = minus(baselineValues(before), baselineValues(after));
  if (source === "adopted") return [`${actor} ${v("adopted", "adopt")} what the tenant grants `, app, " as its approved baseline"];
  if (source === "revoke" || (added.length === 0 && removed.length > 0)) return [`${actor} ${v("removed", "remove")} ${listOf(removed)} from the approved baseline of `, app];
  const how = source === "drift-accepted" ? " (a drift accepted)" : source === "settings-document" ? " (from the consent settings document)" : "";
  return [`${actor} ${v("recorded", "record")} ${after ? listOf(added) : "permissions"} as approved for `, app, how];
}

/** The sentence as plain text (titles, tests, the dashboard's list). */
export function sentenceText(segments: SentenceSegment[]): string {
  return segments.map((s) => (typeof s === "string" ? s : s.app)).join("");
}
