import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { addCatalogAppSchema } from "./catalog";
import { INVISIBLE_FORMATTING, INVISIBLE_FORMATTING_MESSAGE, justification } from "./common";
import { denyEntraRequestSchema } from "./entra-requests";
import { accessSchema, accessSelectionSchema } from "@/lib/consent/access/schema";
import { grantConsentSchema } from "@/lib/consent/grant/schema";
import { userConsentApplySchema } from "@/lib/consent/user-consent/schema";
import { directorySearchSchema } from "@/lib/consent/consent-workflow/schema";
import { revokeSchema } from "@/lib/consent/revoke/schema";
import { createRequestSchema, denyRequestSchema, pastedTextSchema, troubleshootSchema } from "./self-service";

// S9: characters that change how text displays without being seen (bidi overrides and isolates,
// zero-width characters, direction marks, the word joiner and the BOM) never reach the audit trail.
const HIDDEN = [
  ...["\u202A", "\u202B", "\u202C", "\u202D", "\u202E"],
  ...["\u2066", "\u2067", "\u2068", "\u2069"],
  ...["\u200B", "\u200C", "\u200D", "\u200E", "\u200F"],
  "\u2060",
  "\uFEFF",
  "\u061C",
];
const APP = "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94";
const REQUEST = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
const GRAPH = "00000003-0000-0000-c000-000000000000";

/** A free-text field, a valid form around it, and the field's name. */
type Field = { label: string; name: string; schema: z.ZodType; form: (text: string) => Record<string, unknown> };
const FIELDS: Field[] = [
  { label: "grant", name: "justification", schema: grantConsentSchema, form: (text) => ({ appId: APP, d: `${GRAPH}|User.Read`, justification: text }) },
  { label: "revoke", name: "justification", schema: revokeSchema, form: (text) => ({ appId: APP, s: `${GRAPH}|User.Read`, justification: text }) },
  { label: "restrict and assign", name: "justification", schema: accessSchema, form: (text) => ({ appId: APP, req: "on", justification: text }) },
  { label: "user consent policy", name: "justification", schema: userConsentApplySchema, form: (text) => ({ choice: "legacy", justification: text }) },
  { label: "approval request", name: "justification", schema: createRequestSchema, form: (text) => ({ appId: APP, d: `${GRAPH}|User.Read`, justification: text }) },
  { label: "deny a portal request", name: "reason", schema: denyRequestSchema, form: (text) => ({ requestId: REQUEST, reason: text }) },
  { label: "deny an Entra request", name: "reason", schema: denyEntraRequestSchema, form: (text) => ({ requestId: REQUEST, appId: APP, reason: text }) },
  { label: "add to catalog", name: "displayName", schema: addCatalogAppSchema, form: (text) => ({ reference: APP, displayName: text.slice(0, 100) }) },
  { label: "add to catalog", name: "reference", schema: addCatalogAppSchema, form: (text) => ({ reference: text }) },
  { label: "troubleshoot", name: "upn", schema: troubleshootSchema, form: (text) => ({ upn: `${text.replace(/[ '"<>@]/g, "") || "riley"}@contoso.com` }) },
];

/** Plain text a person might type: letters of several scripts, digits, punctuation, spaces. */
const plain = fc
  .array(fc.constantFrom(..."abcdefghij KLMNOP 0123 .,;:!?-'()", "é", "ß", "Ж", "ש", "ع", "中", "😀"), { minLength: 12, maxLength: 80 })
  .map((chars) => `Reason ${chars.join("")}`.trim());

/** The same text with one hidden character somewhere inside it (not at the ends, which trimming may drop). */
const spoofed = fc.tuple(plain, fc.constantFrom(...HIDDEN), fc.nat()).map(([text, hidden, at]) => {
  const i = 1 + (at % (text.length - 1));
  return text.slice(0, i) + hidden + text.slice(i);
});

function issuesFor(field: Field, result: z.ZodSafeParseResult<unknown>): string[] {
  return result.success ? [] : result.error.issues.filter((issue) => issue.path[0] === field.name).map((issue) => issue.message);
}

describe("free-text fields refuse invisible formatting characters", () => {
  it("the pattern matches each listed character and leaves ordinary text, right-to-left scripts included, alone", () => {
    for (const hidden of HIDDEN) expect(INVISIBLE_FORMATTING.test(`a${hidden}b`), hidden.codePointAt(0)!.toString(16)).toBe(true);
    // Ordinary text, including right-to-left scripts themselves, is untouched.
    for (const text of ["Contoso CRM", "שלום", "مرحبا", "Zoë’s app — v2", "tab\there"]) expect(INVISIBLE_FORMATTING.test(text)).toBe(false);
  });

  for (const field of FIELDS) {
    it(`${field.label}: ${field.name} takes plain text and refuses a hidden character with a field error`, () => {
      fc.assert(
        fc.property(plain, (text) => {
          expect(issuesFor(field, field.schema.safeParse(field.form(text)))).toEqual([]);
        }),
        { numRuns: 50 },
      );
      fc.assert(
        fc.property(spoofed, (text) => {
          expect(issuesFor(field, field.schema.safeParse(field.form(text)))).toContain(INVISIBLE_FORMATTING_MESSAGE);
        }),
        { numRuns: 100 },
      );
    });
  }

  it("the shared justification refuses a right-to-left override that would make the text read backwards", () => {
    const result = justification.safeParse("Approved for \u202Eetirw-daer\u202C only");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(INVISIBLE_FORMATTING_MESSAGE);
  });

  it("search boxes refuse them too: the pasted text, the directory searches", () => {
    fc.assert(
      fc.property(spoofed, (text) => {
        expect(pastedTextSchema.safeParse(text).success).toBe(false);
        expect(directorySearchSchema.safeParse(text.slice(0, 50)).success).toBe(false);
        // The access wizard's search drops such text instead of searching for it.
        expect(accessSelectionSchema.parse({ q: text.slice(0, 60) }).q).toBeUndefined();
      }),
      { numRuns: 50 },
    );
    expect(pastedTextSchema.safeParse("AADSTS65001 Contoso CRM").success).toBe(true);
  });
});
