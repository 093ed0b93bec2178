import { parseDocument, stringify } from "yaml";
import type { z } from "zod";
import { API_VERSION, KIND, settingsDocumentSchema, type SettingsDocument, type SettingsSpec } from "./schema";

/**
 * A settings document to and from text: JSON or YAML out, either one in. Output is canonical (sections,
 * lists and keys always in the same order) so that two exports of the same settings are the same text,
 * and a change reviewed in Git shows only what changed. Pure.
 */

export const DOCUMENT_FORMATS = ["json", "yaml"] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** Larger than any real tenant's document by far; refuses pasted logs and the like before parsing. */
export const MAX_DOCUMENT_CHARS = 1_000_000;

export type DocumentProblem = { path: string; message: string };
export type ParsedDocument = { ok: true; document: SettingsDocument; format: DocumentFormat } | { ok: false; problems: DocumentProblem[] };

const byText = (a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase()) || a.localeCompare(b);

/** The spec with every list in a stable order and every key in the order the schema lists them. */
export function canonicalSpec(spec: SettingsSpec): SettingsSpec {
  const out: SettingsSpec = {};
  if (spec.userConsent) {
    out.userConsent = { policy: spec.userConsent.policy, ...(spec.userConsent.entries ? { entries: [...spec.userConsent.entries].sort(byText) } : {}) };
  }
  if (spec.adminConsentWorkflow) {
    const w = spec.adminConsentWorkflow;
    out.adminConsentWorkflow = {
      enabled: w.enabled,
      reviewers: [...w.reviewers]
        .map((r) => ({ type: r.type, id: r.id.toLowerCase(), ...(r.name ? { name: r.name } : {}) }))
        .sort((a, b) => a.type.localeCompare(b.type) || byText(a.name ?? a.id, b.name ?? b.id) || a.id.localeCompare(b.id)),
      notifyReviewers: w.notifyReviewers,
      remindersEnabled: w.remindersEnabled,
      requestDurationInDays: w.requestDurationInDays,
    };
  }
  if (spec.classifications) out.classifications = { lowImpact: [...new Set(spec.classifications.lowImpact)].sort(byText) };
  if (spec.groupOwnerConsent) {
    const g = spec.groupOwnerConsent;
    out.groupOwnerConsent = { mode: g.mode, ...(g.mode === "group" ? { groupId: g.groupId?.toLowerCase() ?? null, ...(g.groupName ? { groupName: g.groupName } : {}) } : {}) };
  }
  if (spec.baselines) {
    out.baselines = [...spec.baselines]
      .map((b) => ({
        appId: b.appId.toLowerCase(),
        displayName: b.displayName,
        verifiedPublisher: b.verifiedPublisher,
        permissions: [...b.permissions]
          .map((p) => ({ resourceAppId: p.resourceAppId.toLowerCase(), resourceName: p.resourceName, consentType: p.consentType, value: p.value }))
          .sort((x, y) => byText(x.resourceName, y.resourceName) || x.consentType.localeCompare(y.consentType) || byText(x.value, y.value)),
        ...(b.approvedBy ? { approvedBy: b.approvedBy } : {}),
        ...(b.approvedAt ? { approvedAt: b.approvedAt } : {}),
        ...(b.version ? { version: b.version } : {}),
      }))
      .sort((a, b) => byText(a.displayName, b.displayName) || a.appId.localeCompare(b.appId));
  }
  return out;
}

function canonical(document: SettingsDocument): SettingsDocument {
  return { apiVersion: API_VERSION, kind: KIND, ...(document.metadata ? { metadata: document.metadata } : {}), spec: canonicalSpec(document.spec) };
}

export function toJson(document: SettingsDocument): string {
  return `${JSON.stringify(canonical(document), null, 2)}\n`;
}

export function toYaml(document: SettingsDocument): string {
  // Plain block style, no anchors or aliases: it reads as the reviewer's own file would.
  return stringify(canonical(document), { aliasDuplicateObjects: false, lineWidth: 0 });
}

export function serializeDocument(document: SettingsDocument, format: DocumentFormat): string {
  return format === "json" ? toJson(document) : toYaml(document);
}

/** "spec.baselines[2].permissions[0].consentType" */
export function pathText(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : `${out ? "." : ""}${String(part)}`;
  return out || "document";
}

export function problemsOf(error: z.ZodError): DocumentProblem[] {
  return error.issues.map((issue) => ({ path: pathText(issue.path), message: issue.message }));
}

/**
 * Reads a document from JSON or YAML text (JSON when it starts with "{"; YAML is a superset of JSON
 * anyway, but JSON's own parser names the position of a stray comma better) and validates it. Every
 * problem comes back with where it is, so the admin can fix the file rather than guess.
 */
export function parseSettingsDocument(text: string): ParsedDocument {
  if (text.length > MAX_DOCUMENT_CHARS) return { ok: false, problems: [{ path: "document", message: `The document is larger than ${MAX_DOCUMENT_CHARS.toLocaleString("en")} characters: it cannot be a consent settings document.` }] };
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, problems: [{ path: "document", message: "The document is empty. Upload or paste a consent settings document (JSON or YAML)." }] };
  let raw: unknown;
  let format: DocumentFormat;
  if (trimmed.startsWith("{")) {
    format = "json";
    try {
      raw = JSON.parse(trimmed);
    } catch (error) {
      return { ok: false, problems: [{ path: "document", message: `This is not valid JSON: ${(error as Error).message}.` }] };
    }
  } else {
    format = "yaml";
    // uniqueKeys: a key given twice is an error, not a silent "last one wins"; aliases are capped by the library.
    const parsed = parseDocument(trimmed, { uniqueKeys: true, prettyErrors: true, strict: true });
    if (parsed.errors.length > 0) {
      return { ok: false, problems: parsed.errors.slice(0, 5).map((e) => ({ path: e.linePos ? `line ${e.linePos[0].line}` : "document", message: `This is not valid YAML: ${e.message.split("\n")[0]}` })) };
    }
    raw = parsed.toJS({ maxAliasCount: 50 });
  }
  const result = settingsDocumentSchema.safeParse(raw);
  if (!result.success) return { ok: false, problems: problemsOf(result.error) };
  return { ok: true, document: { ...result.data, spec: canonicalSpec(result.data.spec) }, format };
}
