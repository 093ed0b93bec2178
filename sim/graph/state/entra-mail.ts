import type { Tenant } from "./tenant";
import type { AppConsentRequest, UserConsentRequest } from "./types";

/**
 * The mails Entra itself sends for the admin consent workflow: reviewers hear of a new request (when
 * the policy's notifyReviewers is on), the requester hears when the request is approved (an admin
 * granted what was asked), denied, or expired. The simulator hands them to whatever listens on the
 * tenant (sim/main.ts wires its mail sink), so they can be seen beside the portal's own mails and told
 * apart from them. Subjects and bodies are modelled on Entra's notices, not copied verbatim.
 */

export type EntraMailKind = "consent-request-created" | "consent-request-approved" | "consent-request-denied" | "consent-request-expired";

export const ENTRA_MAIL_FROM = "Microsoft Azure <azure-noreply@microsoft.com>";
export const ENTRA_MAIL_ENVELOPE_FROM = "azure-noreply@microsoft.com";
/** The header that marks a message as Entra's (the portal never sets it). */
export const ENTRA_MAIL_HEADER = "x-ms-entra-notification";

export interface EntraMail {
  kind: EntraMailKind;
  from: typeof ENTRA_MAIL_FROM;
  to: string[];
  subject: string;
  text: string;
  appId: string;
  appConsentRequestId: string;
  userConsentRequestId: string;
}

type Listener = (mail: EntraMail) => void;
const listeners = new WeakMap<Tenant, Listener>();

/** Where this tenant's Entra mails go (one listener per tenant; a later call replaces it). */
export function onEntraMail(t: Tenant, listener: Listener): () => void {
  listeners.set(t, listener);
  return () => {
    if (listeners.get(t) === listener) listeners.delete(t);
  };
}

/**
 * Entra mails only mail-enabled accounts (GRAPH.md: "notifications reach only mail-enabled admin
 * accounts"), so a user without `mail` gets nothing.
 */
function mailOf(t: Tenant, userId: string): string | null {
  return t.state.users.get(userId)?.mail ?? null;
}

function send(t: Tenant, mail: Omit<EntraMail, "from">): void {
  if (mail.to.length === 0) return;
  listeners.get(t)?.({ ...mail, from: ENTRA_MAIL_FROM });
}

const ENTRA_REQUESTS_URL = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AccessRequests";
const scopesText = (req: AppConsentRequest) => req.pendingScopes.map((s) => `  - ${s.displayName}`).join("\n") || "  (none listed)";

/** One mail per reviewer, as each reviewer's own notice. */
export function mailReviewersOfNewRequest(t: Tenant, reviewerIds: Iterable<string>, req: AppConsentRequest, u: UserConsentRequest): void {
  const requester = u.createdBy.user;
  for (const id of reviewerIds) {
    const to = mailOf(t, id);
    if (!to) continue;
    send(t, {
      kind: "consent-request-created", to: [to], appId: req.appId, appConsentRequestId: req.id, userConsentRequestId: u.id,
      subject: `Action required: ${requester.displayName} requested access to ${req.appDisplayName}`,
      text: [
        `${requester.displayName} (${requester.userPrincipalName}) requested admin consent for ${req.appDisplayName} in ${t.state.organization.displayName}.`,
        "",
        "Reason given:",
        `> ${u.reason ?? ""}`,
        "",
        "Permissions requested:",
        scopesText(req),
        "",
        `You are receiving this because you are a reviewer of admin consent requests. Review the request: ${ENTRA_REQUESTS_URL}`,
        `The request expires after ${t.state.adminConsentRequestPolicy.requestDurationInDays} days without a decision.`,
      ].join("\n"),
    });
  }
}

/** The requester's notice of the outcome. */
export function mailRequesterOfOutcome(
  t: Tenant,
  req: AppConsentRequest,
  u: UserConsentRequest,
  outcome: { kind: "approved" } | { kind: "expired" } | { kind: "denied"; reviewer: string; justification: string },
): void {
  const to = mailOf(t, u.createdBy.user.id);
  if (!to) return;
  const app = req.appDisplayName;
  const base = { to: [to], appId: req.appId, appConsentRequestId: req.id, userConsentRequestId: u.id };
  switch (outcome.kind) {
    case "approved":
      send(t, { ...base, kind: "consent-request-approved", subject: `Your request to access ${app} was approved`,
        text: `An administrator approved your request for ${app}. You can now sign in to ${app}.` });
      return;
    case "denied":
      send(t, { ...base, kind: "consent-request-denied", subject: `Your request to access ${app} was denied`,
        text: [`${outcome.reviewer} denied your request for ${app}.`, "", "Reviewer's justification:", `> ${outcome.justification}`].join("\n") });
      return;
    case "expired":
      send(t, { ...base, kind: "consent-request-expired", subject: `Your request to access ${app} has expired`,
        text: `Your request for ${app} expired after ${t.state.adminConsentRequestPolicy.requestDurationInDays} days without a decision. You can request access again from the app's sign-in page.` });
      return;
  }
}
