import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lastKeyOf, neutralizeFormulas } from "./export";
import { inlineParameters } from "./sql";

/** A cell as PostgreSQL's COPY (FORMAT csv) writes it: quoted when it holds a comma, quote or line break, or is empty. */
const copyCell = (value: string | null) => (value === null ? "" : value === "" || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const copyCsv = (rows: (string | null)[][]) => rows.map((row) => `${row.map(copyCell).join(",")}\n`).join("");
const FORMULA = /^[=+\-@\t\r]/;

describe("CSV export: formulas neutralized (S9)", () => {
  it.each([["=HYPERLINK(\"http://x\")"], ["+1+1"], ["-2+3"], ["@SUM(A1)"], ["\tx"], ["\rx"], ["=cmd|' /C calc'!A0"]])("prefixes %j with an apostrophe", (value) => {
    const csv = neutralizeFormulas(Buffer.from(copyCsv([["1", value, "plain"]]))).toString();
    expect(csv).toBe(copyCsv([["1", `'${value}`, "plain"]]));
  });

  it("leaves other cells, and formula characters inside cells, alone", () => {
    const csv = Buffer.from(copyCsv([["Mail.Read", 'a,=b "c"\n-d', "x=1", null, "", '{"a": -1}']]));
    expect(neutralizeFormulas(csv)).toBe(csv);
  });

  it("equals the CSV of the neutralized values, for any cells", () => {
    const char = fc.constantFrom("=", "+", "-", "@", "\t", "\r", "\n", ",", '"', "'", "a", "1", " ", "é", "😀");
    const cell = fc.option(fc.string({ unit: char, maxLength: 6 }), { nil: null });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const expected = copyCsv(rows.map((row) => row.map((value) => (value !== null && FORMULA.test(value) ? `'${value}` : value))));
        expect(neutralizeFormulas(Buffer.from(copyCsv(rows))).toString()).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("CSV export: chunks", () => {
  it("inlines filter values as escaped literals, in one pass", () => {
    expect(inlineParameters(`a = $1 AND b = $2::uuid AND c ILIKE $3`, ["it's", "$1", "back\\slash"])).toBe(
      `a = 'it''s' AND b = '$1'::uuid AND c ILIKE  E'back\\\\slash'`,
    );
    expect(() => inlineParameters(`a = $2`, ["x"])).toThrow(/no value/);
  });

  it("finds the last record's key outside quoted line breaks", () => {
    const csv = Buffer.from(`seq,occurredAt\n7,2026-01-02 03:04:05.67,"a\n6,2026-01-01 00:00:00,""x""\n",b\n`);
    expect(lastKeyOf(csv)).toEqual({ seq: "7", occurredAt: "2026-01-02 03:04:05.67Z" });
    expect(lastKeyOf(Buffer.from(`seq,occurredAt\n8,2026-01-02 03:04:05,x\n`))).toEqual({ seq: "8", occurredAt: "2026-01-02 03:04:05Z" });
    expect(() => lastKeyOf(Buffer.from("seq,occurredAt\n"))).toThrow(/last chunk/);
  });
});
