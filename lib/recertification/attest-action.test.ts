import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { portalTestDatabase, type PortalTestDatabase } from "@/lib/testing/database";
import { person, signedIn } from "@/lib/testing/session";

// The attestation's server action as a browser posts it: only the app's named owner, reviewers and
// admins may attest, the input is validated, and an attestation is a row and an audit event. Only the
// session, the request headers and Next's request-scoped helpers are stood in for.

vi.mock("@/auth", () => import("@/lib/testing/session"));
vi.mock("next/headers", () => import("@/lib/testing/next-request"));
vi.mock("next/cache", () => import("@/lib/testing/next-request"));

const GRAPH_API = "00000003-0000-0000-c000-000000000000";
const owner = person("Riley Owner", "user");
const stranger = person("Jordan Other", "user");
const reviewer = person("Sam Reviewer", "reviewer");
const appId = randomUUID();

let database: PortalTestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await portalTestDatabase("attest_action", { authUrl: "http://localhost:3998" });
  pool = database.pool;
  const approvedAt = new Date(Date.now() - 100 * 86_400_000);
  await pool.query(
    `INSERT INTO "AppBaseline" ("appId", "displayName", permissions, source, justification, "approvedByOid", "approvedByUpn", "approvedByName", "approvedAt")
     VALUES ($1, 'Attest test app', $2, 'grant', 'For the test', $3, 'admin@contoso.onmicrosoft.com', 'Admin', $4)`,
    [appId, JSON.stringify([{ resourceAppId: GRAPH_API, resourceName: "Microsoft Graph", consentType: "AllPrincipals", value: "Mail.Read" }]), randomUUID(), approvedAt],
  );
  await pool.query(
    `INSERT INTO "AppRecertification" ("appId", "displayName", "riskLevel", "ownerOid", "ownerUpn", "ownerName", "dueAt") VALUES ($1, 'Attest test app', 'High', $2, $3, $4, $5)`,
    [appId, owner.oid, owner.upn, owner.name, new Date(approvedAt.getTime() + 90 * 86_400_000)],
  );
}, 120_000);

afterAll(async () => {
  await database?.close();
});

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};
const attestations = async () => (await pool.query<{ decision: string; attestedByUpn: string }>(`SELECT decision, "attestedByUpn" FROM "Attestation" WHERE "appId" = $1 ORDER BY "createdAt"`, [appId])).rows;

describe("attesting an app from the mail link", () => {
  it("refuses someone who is neither the owner nor a reviewer or admin, and records nothing", async () => {
    const { attestAction } = await import("@/app/attest/[appId]/actions");
    signedIn.user = stranger;
    const result = await attestAction(null, form({ appId, decision: "attested" }));
    expect(result).toMatchObject({ ok: false, message: "Only the app's named owner, reviewers and admins can attest it. Nothing was recorded." });
    expect(await attestations()).toEqual([]);
  });

  it("asks for a reason before a revocation is proposed", async () => {
    const { attestAction } = await import("@/app/attest/[appId]/actions");
    signedIn.user = owner;
    const result = await attestAction(null, form({ appId, decision: "revoke-requested", note: "no" }));
    expect(result).toMatchObject({ ok: false, fieldErrors: { note: [expect.stringContaining("why it is no longer needed")] } });
    expect(await attestations()).toEqual([]);
  });

  it("records the owner's attestation with its audit event and moves the due date a period ahead", async () => {
    const { attestAction } = await import("@/app/attest/[appId]/actions");
    signedIn.user = owner;
    const before = Date.now();
    const result = await attestAction(null, form({ appId, decision: "attested", note: "Still syncs the team mailbox" }));
    expect(result).toMatchObject({ ok: true, message: expect.stringContaining("Attest test app is re-attested") });
    expect(await attestations()).toEqual([{ decision: "attested", attestedByUpn: owner.upn }]);
    const row = (await pool.query<{ dueAt: Date; lastAttestedByUpn: string }>(`SELECT "dueAt", "lastAttestedByUpn" FROM "AppRecertification" WHERE "appId" = $1`, [appId])).rows[0]!;
    expect(row.lastAttestedByUpn).toBe(owner.upn);
    // High risk: 90 days from the attestation.
    expect(row.dueAt.getTime() - before).toBeGreaterThanOrEqual(90 * 86_400_000);
    expect(row.dueAt.getTime() - Date.now()).toBeLessThanOrEqual(90 * 86_400_000);
    const events = (await pool.query<{ outcome: string; actorUpn: string; justification: string }>(`SELECT outcome, "actorUpn", justification FROM "AuditEvent" WHERE action = 'recertification.attest' AND "targetAppId" = $1 ORDER BY seq`, [appId])).rows;
    expect(events).toEqual([
      { outcome: "intended", actorUpn: owner.upn, justification: "Still syncs the team mailbox" },
      { outcome: "succeeded", actorUpn: owner.upn, justification: "Still syncs the team mailbox" },
    ]);
  });

  it("lets a reviewer propose the revocation", async () => {
    const { attestAction } = await import("@/app/attest/[appId]/actions");
    signedIn.user = reviewer;
    const result = await attestAction(null, form({ appId, decision: "revoke-requested", note: "The team moved to another tool" }));
    expect(result).toMatchObject({ ok: true, message: expect.stringContaining("you propose that the consent of Attest test app be revoked") });
    expect((await attestations()).at(-1)).toEqual({ decision: "revoke-requested", attestedByUpn: reviewer.upn });
  });
});
