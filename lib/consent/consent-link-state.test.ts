import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "@/generated/prisma/client";
import { freshTestDatabase, type TestDatabase } from "@/scripts/lib/test-database";
import { issueState } from "./consent-link";
import { consumeState, rememberState } from "./consent-link-state";

// The single-use record against a real database: embedded PGlite, or PostgreSQL when DATABASE_URL is set.

let database: TestDatabase;
let pool: pg.Pool;
let prisma: PrismaClient;
const secret = "a-test-secret-that-is-long-enough-123";

beforeAll(async () => {
  database = await freshTestDatabase("consent_link_state");
  pool = new pg.Pool({ connectionString: database.url, max: database.poolSize });
  prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await pool?.end();
  await database?.stop();
});

async function issued(sessionId = randomUUID(), appId = randomUUID()) {
  const { state, expiresAt } = issueState({ sessionId, appId, secret });
  await rememberState({ state, sessionId, appId, expiresAt }, prisma);
  return { state, sessionId, appId };
}

describe("consent-link state on the server (S20)", () => {
  it("is good for one callback: the second with the same state is refused", async () => {
    const link = await issued();
    expect(await consumeState(link, prisma)).toBe(true);
    expect(await consumeState(link, prisma)).toBe(false);
  });

  it("goes to exactly one of several callbacks arriving together", async () => {
    const link = await issued();
    const results = await Promise.all(Array.from({ length: 6 }, () => consumeState(link, prisma)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("is refused for another session, another app, or a state never issued, and stays usable by its own", async () => {
    const link = await issued();
    expect(await consumeState({ ...link, sessionId: randomUUID() }, prisma)).toBe(false);
    expect(await consumeState({ ...link, appId: randomUUID() }, prisma)).toBe(false);
    expect(await consumeState({ ...link, state: "never-issued" }, prisma)).toBe(false);
    expect(await consumeState(link, prisma)).toBe(true);
  });

  it("is refused once expired, and expired states are forgotten when the next link is made", async () => {
    const sessionId = randomUUID();
    const appId = randomUUID();
    await rememberState({ state: "old-state", sessionId, appId, expiresAt: new Date(Date.now() - 1000) }, prisma);
    expect(await consumeState({ state: "old-state", sessionId, appId }, prisma)).toBe(false);
    await issued();
    expect(await prisma.consentLinkState.count({ where: { sessionId } })).toBe(0);
  });

  it("keeps only a hash of the state", async () => {
    const link = await issued();
    const rows = await prisma.consentLinkState.findMany({ where: { sessionId: link.sessionId } });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(link.state);
  });
});
