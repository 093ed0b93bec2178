import { countByRisk, groupPermissions, permissionsWord, riskCountsText } from "@/lib/permission-groups";
import { listedPermissions } from "@/lib/permission-items";

/**
 * The words of every notification, rendered once when it is enqueued: a plain-text part, an HTML part
 * in which everything a person typed is escaped (S9), and the one-line text a webhook posts.
 */

export type Message = { subject: string; text: string; html: string; webhookText: string };

export type RequestFacts = {
  id: string;
  appName: string;
  requesterName: string;
  requesterUpn: string;
  permissions: { resourceAppId: string; scopes: string[]; appRoles: string[] }[];
  justification: string;
  createdAt: Date;
};

export type DecisionFacts = RequestFacts & {
  status: "approved" | "denied";
  decidedByName: string;
  reason: string | null;
  decidedAt: Date;
};

/** A page of the portal at its public origin (AUTH_URL), for links in notices. */
export const portalUrl = (origin: string, path: string) => `${origin.replace(/\/$/, "")}${path}`;

/** Where the request notices' links point. */
export const links = (origin: string) => ({
  review: (requestId?: string) => portalUrl(origin, `/admin/requests${requestId ? `#request-${requestId}` : ""}`),
  myRequest: (requestId: string) => portalUrl(origin, `/my-apps/requests/${requestId}`),
});

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Slack and Teams parse <…> as links and mentions (<!channel>): their documented escapes for &, < and >. */
export function escapeWebhookText(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A header line never carries a line break (no header injection) and stays readable in a mail list. */
const oneLine = (value: string, max = 200) => value.replace(/[\r\n\t]+/g, " ").trim().slice(0, max);

const utc = (date: Date) => `${date.toISOString().replace("T", " ").slice(0, 16)} UTC`;

/**
 * One line per API, counted by risk level ("3 High, 12 Medium, 44 Low permissions on Microsoft Graph"):
 * a 60-permission app would otherwise be a 60-line mail. The portal lists them all, grouped the same way.
 */
export function permissionSummaryLines(permissions: RequestFacts["permissions"]): string[] {
  return groupPermissions(listedPermissions(permissions)).map((api) => {
    const items = api.levels.flatMap((level) => level.items);
    const counts = riskCountsText(countByRisk(items));
    return `${counts} ${api.count === 1 ? "permission" : "permissions"} on ${api.resourceName}`;
  });
}

type Block = { kind: "p"; text: string } | { kind: "list"; items: string[] } | { kind: "quote"; text: string } | { kind: "link"; label: string; href: string };

function render(subject: string, blocks: Block[]): Pick<Message, "text" | "html"> {
  const text = blocks
    .map((block) => {
      if (block.kind === "p") return block.text;
      if (block.kind === "list") return block.items.map((item) => `- ${item}`).join("\n");
      if (block.kind === "quote") return block.text.split("\n").map((line) => `> ${line}`).join("\n");
      return `${block.label}: ${block.href}`;
    })
    .join("\n\n");
  const body = blocks
    .map((block) => {
      if (block.kind === "p") return `<p>${escapeHtml(block.text)}</p>`;
      if (block.kind === "list") return `<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>`;
      if (block.kind === "quote") return `<blockquote style="white-space:pre-wrap;border-left:3px solid #cbd5e1;margin:0;padding:4px 12px">${escapeHtml(block.text)}</blockquote>`;
      return `<p><a href="${escapeHtml(block.href)}">${escapeHtml(block.label)}</a></p>`;
    })
    .join("\n");
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.4;color:#0f172a">\n${body}\n<p style="color:#64748b;font-size:12px">Admin Consent Portal</p></body></html>`;
  return { text: `${text}\n\n-- \nAdmin Consent Portal\n`, html };
}

function permissionBlocks(request: RequestFacts, link: string): Block[] {
  const total = request.permissions.reduce((sum, api) => sum + api.scopes.length + api.appRoles.length, 0);
  if (total === 0) return [{ kind: "p", text: "No permissions named: the requester described in words what they need." }];
  return [
    { kind: "p", text: `Permissions asked for, by risk level:` },
    { kind: "list", items: permissionSummaryLines(request.permissions) },
    { kind: "link", label: `See the ${permissionsWord(total)}, grouped by risk, in the portal`, href: link },
  ];
}

/** To the reviewers: a new request waits for them. */
export function requestCreatedMessage(request: RequestFacts, origin: string): Message {
  const subject = oneLine(`Approval requested: ${request.appName} for ${request.requesterName}`);
  const link = links(origin).review(request.id);
  const rendered = render(subject, [
    { kind: "p", text: `${request.requesterName} (${request.requesterUpn}) asks for approval of ${request.appName} on ${utc(request.createdAt)}.` },
    ...permissionBlocks(request, link),
    { kind: "p", text: "Their justification:" },
    { kind: "quote", text: request.justification },
    { kind: "link", label: "Review the request", href: link },
  ]);
  const webhookText = `Approval requested: ${escapeWebhookText(oneLine(request.appName))} for ${escapeWebhookText(oneLine(request.requesterName))} (${escapeWebhookText(request.requesterUpn)}): “${escapeWebhookText(oneLine(request.justification, 300))}” Review it: ${link}`;
  return { subject, ...rendered, webhookText };
}

/** To the requester: their request was decided. */
export function requestDecidedMessage(decision: DecisionFacts, origin: string): Message {
  const subject = oneLine(`Your request for ${decision.appName} was ${decision.status}`);
  const link = links(origin).myRequest(decision.id);
  const blocks: Block[] = [{ kind: "p", text: `${decision.decidedByName} ${decision.status} your request for ${decision.appName} on ${utc(decision.decidedAt)}.` }];
  if (decision.status === "denied" && decision.reason) blocks.push({ kind: "p", text: "The reason they gave:" }, { kind: "quote", text: decision.reason });
  blocks.push({
    kind: "p",
    text: decision.status === "approved" ? `${decision.appName} is approved for everyone in your organization: sign in to it again.` : "Nothing was granted. Ask your admins if the reason leaves you with questions.",
  });
  blocks.push({ kind: "link", label: "See your request", href: link });
  const reason = decision.status === "denied" && decision.reason ? ` Reason: “${escapeWebhookText(oneLine(decision.reason, 300))}”` : "";
  const webhookText = `${escapeWebhookText(oneLine(decision.decidedByName))} ${decision.status} ${escapeWebhookText(oneLine(decision.appName))} for ${escapeWebhookText(oneLine(decision.requesterName))}.${reason} ${links(origin).review()}`;
  return { subject, ...render(subject, blocks), webhookText };
}

export type EntraDenialFacts = { appName: string; decidedByName: string; reason: string; decidedAt: Date; requesterCount: number };

/**
 * To someone who asked on Entra's own "Approval required" screen: Graph cannot deny Entra's requests
 * (GRAPH.md fact 1), so without this they would only see the request expire.
 */
export function entraRequestDeniedMessage(denial: EntraDenialFacts, origin: string): Message {
  const subject = oneLine(`Your request for ${denial.appName} was denied`);
  const link = portalUrl(origin, "/my-apps");
  const rendered = render(subject, [
    { kind: "p", text: `${denial.decidedByName} denied the request you made for ${denial.appName} when signing in, on ${utc(denial.decidedAt)}.` },
    { kind: "p", text: "The reason they gave:" },
    { kind: "quote", text: denial.reason },
    { kind: "p", text: "Nothing was granted. Microsoft Entra still lists your request until it expires; you do not need to do anything about it." },
    { kind: "link", label: "See your apps and requests", href: link },
  ]);
  const people = denial.requesterCount === 1 ? "1 requester" : `${denial.requesterCount} requesters`;
  const webhookText = `${escapeWebhookText(oneLine(denial.decidedByName))} denied Entra's consent request for ${escapeWebhookText(oneLine(denial.appName))} (${people}). Reason: “${escapeWebhookText(oneLine(denial.reason, 300))}”`;
  return { subject, ...rendered, webhookText };
}

/** To the reviewers, once a day: requests that have waited longer than a day. */
export function reminderMessage(open: Pick<RequestFacts, "appName" | "requesterName" | "createdAt">[], origin: string, now: Date): Message {
  const count = open.length === 1 ? "1 approval request is" : `${open.length} approval requests are`;
  const subject = `Reminder: ${count} waiting for a decision`;
  const days = (since: Date) => Math.max(1, Math.floor((now.getTime() - since.getTime()) / 86_400_000));
  const items = open.map((r) => `${r.appName} for ${r.requesterName}, waiting ${days(r.createdAt)} day${days(r.createdAt) === 1 ? "" : "s"}`);
  const link = links(origin).review();
  const rendered = render(subject, [
    { kind: "p", text: `${count[0]?.toUpperCase()}${count.slice(1)} waiting longer than a day:` },
    { kind: "list", items },
    { kind: "link", label: "Review the requests", href: link },
  ]);
  return { subject, ...rendered, webhookText: `${escapeWebhookText(subject)}: ${items.map((item) => escapeWebhookText(oneLine(item))).join("; ")}. ${link}` };
}

/** What a recertification notice says about one app (lib/recertification). */
export type RecertificationFacts = {
  appName: string;
  ownerName: string | null;
  dueAt: Date;
  /** "3 High, 2 Low permissions on Microsoft Graph": the approved baseline, summarized */
  permissionLines: string[];
  /** No sign-in for this many days: the task proposes revocation instead of re-attestation. */
  unusedDays: number | null;
  /** When the consent is revoked automatically (autoRevoke on), else null. */
  revokesAt: Date | null;
  attestUrl: string;
};

const day = (date: Date) => date.toISOString().slice(0, 10);

function recertificationBlocks(facts: RecertificationFacts, lead: string): Block[] {
  const blocks: Block[] = [{ kind: "p", text: lead }];
  if (facts.permissionLines.length > 0) blocks.push({ kind: "p", text: "What was approved:" }, { kind: "list", items: facts.permissionLines });
  if (facts.unusedDays !== null) {
    blocks.push({ kind: "p", text: `Nobody has signed in to ${facts.appName} for ${facts.unusedDays} days. Unless it is still needed, propose that its consent be revoked.` });
  }
  if (facts.revokesAt) blocks.push({ kind: "p", text: `Its consent will be revoked automatically on ${day(facts.revokesAt)} unless it is re-attested before then.` });
  blocks.push({ kind: "link", label: facts.unusedDays !== null ? "Decide: still needed, or propose revocation" : "Re-attest: still needed, still these permissions", href: facts.attestUrl });
  return blocks;
}

/** To the app's owner (else the reviewers): the app's consent is due for re-attestation. */
export function recertificationReminderMessage(facts: RecertificationFacts): Message {
  const subject = oneLine(`Re-attest ${facts.appName} by ${day(facts.dueAt)}`);
  const lead = `The consent approved for ${facts.appName} is due for re-attestation by ${day(facts.dueAt)}: confirm that it is still needed, with these permissions.`;
  const webhookText = `${escapeWebhookText(subject)}. ${facts.attestUrl}`;
  return { subject, ...render(subject, recertificationBlocks(facts, lead)), webhookText };
}

/** To the owner and the reviewers: the re-attestation is overdue. */
export function recertificationOverdueMessage(facts: RecertificationFacts): Message {
  const subject = oneLine(`Overdue: re-attestation of ${facts.appName}`);
  const lead = `Nobody has re-attested the consent of ${facts.appName}; it was due on ${day(facts.dueAt)}.`;
  const webhookText = `${escapeWebhookText(subject)} (due ${day(facts.dueAt)}). ${facts.attestUrl}`;
  return { subject, ...render(subject, recertificationBlocks(facts, lead)), webhookText };
}

/** To the owner and the reviewers: the consent will be revoked automatically soon. */
export function recertificationWarningMessage(facts: RecertificationFacts & { revokesAt: Date }): Message {
  const subject = oneLine(`${facts.appName} loses its consent on ${day(facts.revokesAt)}`);
  const lead = `The re-attestation of ${facts.appName} was due on ${day(facts.dueAt)} and is overdue. The admins chose to revoke its consent automatically: on ${day(facts.revokesAt)}, unless someone re-attests it first.`;
  const webhookText = `${escapeWebhookText(subject)}: re-attestation overdue since ${day(facts.dueAt)}. ${facts.attestUrl}`;
  return { subject, ...render(subject, recertificationBlocks({ ...facts, revokesAt: null }, lead)), webhookText };
}

/** To the owner and the reviewers: the consent was revoked automatically. */
export function recertificationRevokedMessage(facts: Pick<RecertificationFacts, "appName" | "dueAt"> & { revokedAt: Date; steps: string[]; outcome: "revoked" | "partial"; appUrl: string }): Message {
  const subject = oneLine(facts.outcome === "revoked" ? `The consent of ${facts.appName} was revoked` : `Revoking the consent of ${facts.appName} did not finish`);
  const lead =
    facts.outcome === "revoked"
      ? `Nobody re-attested ${facts.appName} (due on ${day(facts.dueAt)}), so its consent was revoked automatically on ${day(facts.revokedAt)}, as the admins chose. Users and the app itself lose the access it had; an admin can grant it again through the portal.`
      : `Nobody re-attested ${facts.appName} (due on ${day(facts.dueAt)}). Revoking its consent automatically on ${day(facts.revokedAt)} did not finish; the portal tries again.`;
  const blocks: Block[] = [{ kind: "p", text: lead }, { kind: "list", items: facts.steps }, { kind: "link", label: "See the app's recertification", href: facts.appUrl }];
  return { subject, ...render(subject, blocks), webhookText: `${escapeWebhookText(subject)}. ${facts.appUrl}` };
}

/**
 * To the reviewers (and the team channel): the app's owner, a reviewer or an admin says its consent is no
 * longer needed. Nothing changes by itself: an admin revokes it with the wizard the mail links to.
 */
export function revocationProposedMessage(facts: { appName: string; proposedBy: string; note: string; permissionLines: string[]; revokeUrl: string; dashboardUrl: string }): Message {
  const subject = oneLine(`Revocation proposed: ${facts.appName}`);
  const blocks: Block[] = [
    { kind: "p", text: `${facts.proposedBy} proposes that the consent of ${facts.appName} be revoked. The reason given:` },
    { kind: "quote", text: facts.note },
    ...(facts.permissionLines.length > 0 ? [{ kind: "p" as const, text: "What was approved:" }, { kind: "list" as const, items: facts.permissionLines }] : []),
    { kind: "p", text: "Nothing has changed in the tenant yet: an admin decides, and revokes it with the portal's revoke wizard, which shows exactly what goes before it goes." },
    { kind: "link", label: "Review and revoke", href: facts.revokeUrl },
    { kind: "link", label: "See the recertification dashboard", href: facts.dashboardUrl },
  ];
  return { subject, ...render(subject, blocks), webhookText: `${escapeWebhookText(subject)} by ${escapeWebhookText(oneLine(facts.proposedBy))}: ${escapeWebhookText(oneLine(facts.note, 300))}. ${facts.revokeUrl}` };
}

export type DriftFacts = { appName: string; detail: string };
/** A drift mail lists at most this many; the portal's drift page lists them all. */
const DRIFT_LISTED = 25;

/**
 * To the reviewers (and each app's owner, about their apps): consent the tenant holds differs from what the
 * portal approved. One message per check, listing the drifts it found first, not one per drift.
 */
export function driftDetectedMessage(drifts: readonly DriftFacts[], origin: string, audience: "reviewers" | "owner"): Message {
  const apps = new Set(drifts.map((d) => d.appName));
  const count = drifts.length === 1 ? "1 change" : `${drifts.length} changes`;
  const subject = oneLine(`Consent drift: ${count} outside the approved baseline${apps.size === 1 ? ` (${[...apps][0]})` : ""}`);
  const link = portalUrl(origin, "/inventory/drift");
  const items = drifts.slice(0, DRIFT_LISTED).map((d) => oneLine(d.detail, 300));
  const more = drifts.length > DRIFT_LISTED ? [{ kind: "p" as const, text: `And ${drifts.length - DRIFT_LISTED} more.` }] : [];
  const rendered = render(subject, [
    {
      kind: "p",
      text:
        audience === "owner"
          ? "The consent of an app you own no longer matches what was approved in the Admin Consent Portal:"
          : "The tenant's consent no longer matches what was approved in the Admin Consent Portal:",
    },
    { kind: "list", items },
    ...more,
    {
      kind: "p",
      text: audience === "owner" ? "An administrator will accept each change into the baseline or revert it; tell them if you know why it happened." : "Accept each change into the baseline with a justification, or revert it.",
    },
    { kind: "link", label: "See the drift in the portal", href: link },
  ]);
  const webhookText = `${escapeWebhookText(subject)}: ${items.slice(0, 5).map(escapeWebhookText).join("; ")}${drifts.length > 5 ? "; …" : ""}. ${link}`;
  return { subject, ...rendered, webhookText };
}
