import { CONSENT_TYPE_WORDS, groupPermissions } from "./merge";
import type { AppBaselineRecord, BaselinePermission, BaselineSource } from "./types";

/**
 * The evidence for one app as HTML: the page shows this very markup and the download is this markup as
 * a self-contained file, so what an auditor prints and what they keep say the same thing. Pure, and
 * every value from the database goes through `escape` (names, justifications and notes are user text).
 */

export type AppEvidence = {
  appId: string;
  displayName: string;
  generatedAt: string;
  baseline: AppBaselineRecord | null;
  changes: { at: string; actor: string; action: string; sentence: string; justification: string | null; outcome: string; seq: string }[];
  changesTruncated: boolean;
  attestations: { at: string; decision: string; note: string; by: string; permissions: BaselinePermission[] }[];
  drifts: { kind: string; status: string; detail: string; firstSeenAt: string; lastSeenAt: string; closedAt: string | null; closedBy: string | null; closedReason: string | null }[];
};

export const SOURCE_WORDS: Record<BaselineSource, string> = {
  grant: "granted with the grant wizard",
  request: "granted approving a portal request",
  "entra-request": "granted approving an Entra consent request",
  "consent-link": "granted through the admin consent link",
  revoke: "reduced by a revoke",
  adopted: "adopted from what the tenant held",
  "drift-accepted": "a drift accepted into the baseline",
  "settings-document": "applied from the consent settings document",
};

const DRIFT_WORDS: Record<string, string> = {
  added: "Granted outside the portal",
  removed: "Removed outside the portal",
  "unapproved-app": "App without a baseline",
  "publisher-unverified": "Publisher no longer verified",
};

const DECISION_WORDS: Record<string, string> = { attested: "Still needed, still these permissions", "revoke-requested": "No longer needed: revoke" };

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** "2026-12-06 14:03 UTC": the same in the page, the print and the file, whatever the reader's zone. */
export function utc(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

function permissionTable(permissions: readonly BaselinePermission[]): string {
  if (permissions.length === 0) return `<p class="ev-empty">No permissions are approved.</p>`;
  const rows = groupPermissions(permissions)
    .map((g) => `<tr><td>${escape(g.resourceName)}</td><td>${escape(CONSENT_TYPE_WORDS[g.consentType])}</td><td class="ev-mono">${g.values.map(escape).join(", ")}</td></tr>`)
    .join("");
  return `<table class="ev-table" data-testid="evidence-baseline-permissions"><thead><tr><th>API</th><th>Consent type</th><th>Permissions</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function baselineSection(baseline: AppBaselineRecord | null): string {
  if (!baseline) return `<p class="ev-empty">No approved baseline: nothing the tenant grants this app has been approved or adopted in the portal.</p>`;
  const facts: [string, string][] = [
    ["Version", String(baseline.version)],
    ["Last approved", `${utc(baseline.approvedAt)} by ${baseline.approvedBy.name} (${baseline.approvedBy.upn})`],
    ["How", SOURCE_WORDS[baseline.source] ?? baseline.source],
    ["Why", baseline.justification],
    ...(baseline.requestId ? [["Request", baseline.requestId] as [string, string]] : []),
    ["Verified publisher then", baseline.verifiedPublisher ?? "Not verified"],
  ];
  return `<dl class="ev-facts">${facts.map(([k, v]) => `<dt>${escape(k)}</dt><dd>${escape(v)}</dd>`).join("")}</dl>${permissionTable(baseline.permissions)}`;
}

function changesSection(e: AppEvidence): string {
  if (e.changes.length === 0) return `<p class="ev-empty">The audit trail records no change to this app.</p>`;
  const rows = e.changes
    .map(
      (c) =>
        `<tr><td class="ev-nowrap">${escape(utc(c.at))}</td><td>${escape(c.sentence)}</td><td>${escape(c.justification ?? "—")}</td><td>${escape(c.outcome)}</td><td class="ev-mono">${escape(c.seq)}</td></tr>`,
    )
    .join("");
  const cut = e.changesTruncated ? `<p class="ev-empty">Only the oldest ${e.changes.length} changes are listed; the audit trail has the rest.</p>` : "";
  return `<table class="ev-table" data-testid="evidence-changes"><thead><tr><th>When</th><th>What</th><th>Justification</th><th>Outcome</th><th>Event</th></tr></thead><tbody>${rows}</tbody></table>${cut}`;
}

function attestationsSection(e: AppEvidence): string {
  if (e.attestations.length === 0) return `<p class="ev-empty">Nobody has attested this app yet.</p>`;
  const rows = e.attestations
    .map(
      (a) =>
        `<tr><td class="ev-nowrap">${escape(utc(a.at))}</td><td>${escape(a.by)}</td><td>${escape(DECISION_WORDS[a.decision] ?? a.decision)}</td><td>${escape(a.note || "—")}</td><td class="ev-mono">${a.permissions.map((p) => escape(p.value)).join(", ") || "—"}</td></tr>`,
    )
    .join("");
  return `<table class="ev-table" data-testid="evidence-attestations"><thead><tr><th>When</th><th>Who</th><th>Decision</th><th>Note</th><th>Permissions attested</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function driftsSection(e: AppEvidence): string {
  if (e.drifts.length === 0) return `<p class="ev-empty">No drift from the baseline has been found.</p>`;
  const rows = e.drifts
    .map((d) => {
      const closed = d.closedAt ? `${utc(d.closedAt)}${d.closedBy ? ` by ${d.closedBy}` : ""}${d.closedReason ? `: “${d.closedReason}”` : ""}` : "—";
      return `<tr><td>${escape(DRIFT_WORDS[d.kind] ?? d.kind)}</td><td>${escape(d.status)}</td><td>${escape(d.detail)}</td><td class="ev-nowrap">${escape(utc(d.firstSeenAt))}</td><td class="ev-nowrap">${escape(utc(d.lastSeenAt))}</td><td>${escape(closed)}</td></tr>`;
    })
    .join("");
  return `<table class="ev-table" data-testid="evidence-drifts"><thead><tr><th>Drift</th><th>Status</th><th>Detail</th><th>First seen</th><th>Last seen</th><th>Closed</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The evidence itself (what goes inside the page's article and the file's body). */
export function renderEvidenceBody(e: AppEvidence): string {
  const open = e.drifts.filter((d) => d.status === "open").length;
  return [
    `<header class="ev-header"><h1>Consent evidence: ${escape(e.displayName)}</h1>`,
    `<p>App ID <span class="ev-mono">${escape(e.appId)}</span> · produced ${escape(utc(e.generatedAt))} from the portal's records</p>`,
    `<p>${e.baseline ? `Baseline version ${e.baseline.version}` : "No baseline"} · ${e.changes.length} ${e.changes.length === 1 ? "change" : "changes"} · ${e.attestations.length} ${e.attestations.length === 1 ? "attestation" : "attestations"} · ${open} open ${open === 1 ? "drift" : "drifts"}</p></header>`,
    `<section class="ev-section" aria-labelledby="ev-baseline"><h2 id="ev-baseline">Approved baseline</h2>${baselineSection(e.baseline)}</section>`,
    `<section class="ev-section" aria-labelledby="ev-changes"><h2 id="ev-changes">Every change to the app</h2>${changesSection(e)}</section>`,
    `<section class="ev-section" aria-labelledby="ev-attestations"><h2 id="ev-attestations">Attestations</h2>${attestationsSection(e)}</section>`,
    `<section class="ev-section" aria-labelledby="ev-drifts"><h2 id="ev-drifts">Drift from the baseline</h2>${driftsSection(e)}</section>`,
  ].join("\n");
}

/** Screen and print styles of the evidence, scoped to its `ev-` classes so the page's own styles are untouched. */
export const EVIDENCE_CSS = `
.ev-doc { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #0f172a; line-height: 1.45; }
.ev-doc h1 { font-size: 1.5rem; font-weight: 600; margin: 0 0 .25rem; }
.ev-doc h2 { font-size: 1.125rem; font-weight: 600; margin: 1.5rem 0 .5rem; border-bottom: 1px solid #cbd5e1; padding-bottom: .25rem; }
.ev-doc p { margin: .25rem 0; }
.ev-header p { color: #475569; font-size: .875rem; }
.ev-mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .8125rem; }
.ev-nowrap { white-space: nowrap; }
.ev-empty { color: #475569; font-size: .875rem; }
.ev-facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; font-size: .875rem; margin: 0 0 .75rem; }
.ev-facts dt { color: #475569; }
.ev-facts dd { margin: 0; }
.ev-table { width: 100%; border-collapse: collapse; font-size: .8125rem; }
.ev-table th, .ev-table td { border: 1px solid #cbd5e1; padding: .25rem .5rem; text-align: left; vertical-align: top; }
.ev-table th { background: #f1f5f9; }
@media print {
  .ev-doc { font-size: 10pt; }
  .ev-doc h2 { break-after: avoid; page-break-after: avoid; }
  .ev-table thead { display: table-header-group; }
  .ev-table tr, .ev-facts { break-inside: avoid; page-break-inside: avoid; }
  .ev-table th { background: none; }
}
`;

/** The evidence as one self-contained HTML file: no scripts, no external styles or images. */
export function renderEvidenceDocument(e: AppEvidence): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Consent evidence: ${escape(e.displayName)} (${escape(e.generatedAt.slice(0, 10))})</title>
<style>
body { margin: 2rem; }
@page { margin: 1.5cm; }
${EVIDENCE_CSS}
</style>
</head>
<body>
<article class="ev-doc">
${renderEvidenceBody(e)}
</article>
</body>
</html>
`;
}

/** "evidence-tailspin-reports-2026-12-06.html": a file name without anything a header could misread. */
export function evidenceFileName(e: Pick<AppEvidence, "displayName" | "appId" | "generatedAt">): string {
  const slug = e.displayName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || e.appId;
  return `evidence-${slug}-${e.generatedAt.slice(0, 10)}.html`;
}
