import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countChanges, listChanges } from "./query";
import { describeChange, sentenceText } from "./sentence";
import { createPool, pgSql, type AuditSql } from "./sql";
import { appendEvents } from "./store";
import { sampleEvent } from "./testing/fixtures";

// The reviewer's one-row-per-change view against a real database. Each test writes events for an app
// ID of its own and filters on it, so it neither needs nor disturbs an empty table.

const url = process.env.TEST_DATABASE_URL!;
let pool: pg.Pool;
let sql: AuditSql;

beforeAll(() => {
  if (!url) throw new Error("TEST_DATABASE_URL is not set (vitest.global-setup.ts starts the test database)");
  pool = createPool(url, 2);
  sql = pgSql(pool);
});
afterAll(async () => {
  await pool.end();
});

/** `n` changes of one app: intent then outcome, the same correlation id, a second apart. */
async function seedChanges(appId: string, n: number) {
  const start = Date.UTC(2026, 0, 1, 9);
  const events = [];
  for (let i = 0; i < n; i += 1) {
    const correlationId = randomUUID();
    const at = (s: number) => new Date(start + i * 10_000 + s * 1000);
    events.push(
      sampleEvent({ targetAppId: appId, targetName: `App ${appId.slice(0, 4)} → Microsoft Graph`, action: "grant.delegated.allPrincipals", correlationId, outcome: "intended", after: null, graphRequestIds: [], occurredAt: at(0) }),
      sampleEvent({ targetAppId: appId, targetName: `App ${appId.slice(0, 4)} → Microsoft Graph`, action: "grant.delegated.allPrincipals", correlationId, outcome: i % 2 ? "failed" : "succeeded", occurredAt: at(1) }),
    );
  }
  return appendEvents(sql, events);
}

describe("changes: intent and outcome joined", () => {
  it("lists one row per correlation id with both events, newest first, and counts changes and events", async () => {
    const appId = randomUUID();
    const records = await seedChanges(appId, 3);
    const page = await listChanges(sql, { app: appId });
    expect(page.changes).toHaveLength(3);
    expect(page.changes.map((c) => c.events.map((e) => e.outcome))).toEqual([["intended", "succeeded"], ["intended", "failed"], ["intended", "succeeded"]]);
    expect(page.changes[0]!.head.seq).toBe(records.at(-1)!.seq);
    expect(page.nextCursor).toBeNull();
    expect(await countChanges(sql, { app: appId })).toEqual({ changes: 3, events: 6 });
  });

  it("keeps a change whole when the filter matches only its outcome, and pages without repeating a change", async () => {
    const appId = randomUUID();
    await seedChanges(appId, 5);
    const failed = await listChanges(sql, { app: appId, outcome: "failed" });
    expect(failed.changes).toHaveLength(2);
    expect(failed.changes.every((c) => c.events.length === 2 && c.intent?.outcome === "intended")).toBe(true);

    const seen: string[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 10; guard += 1) {
      const page = await listChanges(sql, { app: appId }, { limit: 2, cursor, order: "oldest" });
      seen.push(...page.changes.map((c) => c.correlationId));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    const oldestFirst = await listChanges(sql, { app: appId }, { order: "oldest" });
    expect(oldestFirst.changes.map((c) => c.correlationId)).toEqual(seen);
  });

  it("says the change as a sentence from the intent's before and the outcome's after", async () => {
    const appId = randomUUID();
    const correlationId = randomUUID();
    await appendEvents(sql, [
      sampleEvent({ targetAppId: appId, targetName: "Nylas → Microsoft Graph", action: "grant.delegated.allPrincipals", correlationId, outcome: "intended", before: { scope: "User.Read" }, after: null }),
      sampleEvent({ targetAppId: appId, targetName: "Nylas → Microsoft Graph", action: "grant.delegated.allPrincipals", correlationId, before: { scope: "User.Read" }, after: { scope: "User.Read Mail.Send Mail.Read offline_access Calendars.Read" } }),
    ]);
    const [change] = (await listChanges(sql, { app: appId })).changes;
    expect(sentenceText(describeChange(change!))).toBe("Alex Wilber granted Mail.Send and 3 more to Nylas for all users");
  });

  it("sorts by app and by actor name, A to Z with the nameless last and newest first within a name, and pages without repeating", async () => {
    // One action of the test's own, so the filter sees only these changes.
    const action = `test.sort.${randomUUID()}`;
    const start = Date.UTC(2026, 0, 2, 9);
    const change = (i: number, target: string | null, actor: { name: string | null; upn: string | null }) => {
      const correlationId = randomUUID();
      const common = { action, correlationId, targetName: target, actorName: actor.name, actorUpn: actor.upn, targetAppId: target ? randomUUID() : null };
      return [
        sampleEvent({ ...common, outcome: "intended", after: null, occurredAt: new Date(start + i * 10_000) }),
        sampleEvent({ ...common, occurredAt: new Date(start + i * 10_000 + 1000) }),
      ];
    };
    const records = await appendEvents(sql, [
      ...change(0, "outreach", { name: "Casey Jensen", upn: "casey@contoso.test" }),
      ...change(1, null, { name: "alex Wilber", upn: "alex@contoso.test" }),
      ...change(2, "Nylas", { name: null, upn: null }),
      ...change(3, "Outreach", { name: null, upn: "bailey@contoso.test" }),
      ...change(4, "Nylas", { name: "Casey Jensen", upn: "casey@contoso.test" }),
    ]);
    const ids = [0, 1, 2, 3, 4].map((i) => records[i * 2]!.correlationId);
    const names = (page: Awaited<ReturnType<typeof listChanges>>) => page.changes.map((c) => ids.indexOf(c.correlationId));

    // Nylas (newest first), Outreach/outreach case-insensitively (newest first), then the policy change with no app.
    expect(names(await listChanges(sql, { action }, { order: "app" }))).toEqual([4, 2, 3, 0, 1]);
    // alex, bailey (by UPN when there is no name), Casey (newest first), then the event with no actor.
    expect(names(await listChanges(sql, { action }, { order: "actor" }))).toEqual([1, 3, 4, 0, 2]);

    for (const order of ["app", "actor"] as const) {
      const seen: number[] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 10; guard += 1) {
        const page = await listChanges(sql, { action }, { limit: 2, cursor, order });
        seen.push(...names(page));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(seen, order).toEqual(names(await listChanges(sql, { action }, { order })));
    }
  });
});
