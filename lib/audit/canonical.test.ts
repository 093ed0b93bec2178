import { describe, expect, it } from "vitest";
import { canonicalJson, GENESIS_HASH, hashRecord } from "./canonical";
import { diffValues } from "./diff";
import { checkHeadSignature, exportHead } from "./verify";
import { auditFilterSchema, filterSql, filterToSearch } from "./filters";
import { containsToken, redactText, redactValue, REDACTED } from "./redact";
import { legacyChain } from "./store";
import { sampleEvent } from "./testing/fixtures";

describe("canonical encoding", () => {
  it("sorts keys recursively and ignores insertion order", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson({ a: undefined, n: Number.NaN })).toBe('{"n":null}');
  });

  it("hashes every field: changing any one changes the hash", () => {
    const [record] = legacyChain({ seq: 0n, hash: GENESIS_HASH }, [sampleEvent()], new Date("2026-11-26T10:00:00.000Z"));
    if (!record) throw new Error("no record");
    expect(hashRecord(record)).toBe(record.hash);
    const variants = [
      { seq: 2n }, { occurredAt: new Date("2026-11-26T10:00:00.001Z") }, { actorUpn: "x@y" }, { actorRoles: [] }, { action: "other" },
      { targetAppId: null }, { before: { scope: "User.Read " } }, { after: null }, { justification: "Sales needs mail sync." },
      { outcome: "failed" as const }, { graphRequestIds: [] }, { clientIp: null }, { userAgent: "x" }, { prevHash: "1".repeat(64) },
      { source: "entra" as const }, { externalId: "x" },
    ];
    for (const variant of variants) expect(hashRecord({ ...record, ...variant }), Object.keys(variant).join()).not.toBe(record.hash);
  });

  it("links each record to the previous hash, from 64 zeros", () => {
    const records = legacyChain({ seq: 0n, hash: GENESIS_HASH }, [sampleEvent(), sampleEvent()]);
    expect(records[0]?.prevHash).toBe(GENESIS_HASH);
    expect(records[1]?.prevHash).toBe(records[0]?.hash);
    expect(records.map((r) => r.seq)).toEqual([1n, 2n]);
  });
});

describe("secrets never enter an event (S14)", () => {
  const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJvaWQiOiJ4In0.abc-_123";
  it("removes JWTs from text and bearer values", () => {
    expect(redactText(`token ${jwt} end`)).toBe(`token ${REDACTED} end`);
    expect(redactText("Authorization: Bearer abcdefghijklmnop")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(containsToken(redactText(jwt))).toBe(false);
  });
  it("redacts secret-named members anywhere, keeps ordinary ones", () => {
    const value = redactValue({ access_token: "x", refreshToken: "y", client_secret: "z", password: "p", passwordCredentials: [{ secretText: "s" }], authorizationPolicy: { allowUserConsent: true }, list: [{ idToken: jwt }], scope: "Mail.Read" });
    expect(value).toEqual({ access_token: REDACTED, refreshToken: REDACTED, client_secret: REDACTED, password: REDACTED, passwordCredentials: REDACTED, authorizationPolicy: { allowUserConsent: true }, list: [{ idToken: REDACTED }], scope: "Mail.Read" });
  });
  it("legacyChain() stores no token whatever the caller passes", () => {
    const [record] = legacyChain({ seq: 0n, hash: GENESIS_HASH }, [sampleEvent({ before: { note: jwt }, after: { token: "t" }, justification: jwt, userAgent: jwt, targetName: jwt })]);
    expect(JSON.stringify({ ...record, seq: String(record?.seq) })).not.toContain("eyJ");
  });
});

describe("filters", () => {
  it("accepts a full filter and drops empty fields", () => {
    const parsed = auditFilterSchema.parse({ actor: "", app: "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94", outcome: "failed", from: "2026-01-01", to: "2026-02-01", q: " mail " });
    expect(parsed).toEqual({ app: "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94", outcome: "failed", from: "2026-01-01", to: "2026-02-01", q: "mail" });
    expect(filterToSearch(parsed)).toBe("?app=8e0d5ae6-12fd-4a7e-b01f-a689fa119d94&outcome=failed&from=2026-01-01&to=2026-02-01&q=mail");
  });
  it("rejects bad input", () => {
    for (const bad of [{ outcome: "deleted" }, { from: "yesterday" }, { from: "2026-02-30x" }, { from: "2026-03-01", to: "2026-01-01" }, { q: "x".repeat(201) }]) {
      expect(auditFilterSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
  it("binds every value as a parameter and escapes LIKE wildcards", () => {
    const { where, params } = filterSql({ q: "100%_done'; DROP TABLE x; --", actor: "alex" });
    expect(where).not.toContain("DROP");
    expect(params).toEqual(["%alex%", "100%_done'; DROP TABLE x; --"]);
    expect(filterSql({ actor: "a_b%" }).params).toEqual(["%a\\_b\\%%"]);
  });
});

describe("before/after diff", () => {
  it("lists changed leaves and scope words added and removed", () => {
    const rows = diffValues({ scope: "User.Read Mail.Read", consentType: "AllPrincipals", old: 1 }, { scope: "User.Read Mail.ReadWrite", consentType: "AllPrincipals", added: true });
    expect(rows).toEqual([
      { path: "added", kind: "added", before: null, after: "true" },
      { path: "old", kind: "removed", before: "1", after: null },
      { path: "scope", kind: "changed", before: "User.Read Mail.Read", after: "User.Read Mail.ReadWrite", words: { added: ["Mail.ReadWrite"], removed: ["Mail.Read"] } },
    ]);
    expect(diffValues(null, null)).toEqual([]);
  });
});

describe("exported head", () => {
  const result = { ok: true as const, count: 3, headSeq: "3", headHash: "a".repeat(64), ms: 1 };
  it("is signed with the key and fails the check when changed or with another key", () => {
    const key = "k".repeat(32);
    const head = exportHead(result, key, new Date("2026-11-26T00:00:00Z"));
    expect(head.signature?.alg).toBe("HMAC-SHA256");
    expect(checkHeadSignature(head, key)).toBe(true);
    expect(checkHeadSignature({ ...head, seq: "2" }, key)).toBe(false);
    expect(checkHeadSignature(head, "x".repeat(32))).toBe(false);
    expect(exportHead(result).signature).toBeUndefined();
  });
});
