import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { portalTestDatabase, type PortalTestDatabase } from "@/lib/testing/database";
import { closedPort } from "@/lib/testing/network";
import { person, signedIn } from "@/lib/testing/session";

// The whole path through the real server action: a person requests approval while the mail server
// and Microsoft Graph are unreachable. The request, its audit event and its notification are saved;
// the delivery fails and stays pending for the job. Only the session, the request headers and Next's
// request-scoped helpers are stood in for; `after` is outside a request here, so delivery runs at once.

vi.mock("@/auth", () => import("@/lib/testing/session"));
// A post from the portal's own page (AUTH_URL below): the same-origin check (S3) sees the Origin a browser sends.
vi.mock("next/headers", () => import("@/lib/testing/next-request"));
vi.mock("next/cache", () => import("@/lib/testing/next-request"));
vi.mock("next/server", () => ({
  after: () => {
    throw new Error("`after` was called outside a request scope");
  },
}));

const GRAPH_API = "00000003-0000-0000-c000-000000000000";
const riley = person("Riley Notify");
const app = { appId: randomUUID(), displayName: "Notify test app" };

let database: PortalTestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  const down = await closedPort();
  // lib/env reads these once: SMTP and the simulated tenant point at a port nobody listens on.
  database = await portalTestDatabase("request_notifications", {
    login: `https://127.0.0.1:${down}`,
    graph: `https://127.0.0.1:${down}`,
    authUrl: "http://localhost:3999",
    more: { SMTP_URL: `smtp://127.0.0.1:${down}`, MAIL_FROM: "Admin Consent Portal <consent-portal@contoso.onmicrosoft.com>" },
  });
  pool = database.pool;
  await pool.query(
    `INSERT INTO "CatalogApp" ("appId", "displayName", permissions, "addedByOid", "addedByUpn") VALUES ($1, $2, $3, $4, 'admin@contoso.onmicrosoft.com')`,
    [app.appId, app.displayName, JSON.stringify([{ resourceAppId: GRAPH_API, scopes: ["User.Read"], appRoles: [] }]), randomUUID()],
  );
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe("a request while notifications cannot be delivered", () => {
  it("is saved with its audit event and its notification, which stays pending for a retry", async () => {
    const { requestApprovalAction } = await import("@/app/(user)/my-apps/actions");
    signedIn.user = riley;
    const data = new FormData();
    data.set("appId", app.appId);
    data.append("d", `${GRAPH_API}|User.Read`);
    data.set("justification", 'Quarterly report & "board" pack, ticket IT-77');
    const result = await requestApprovalAction(null, data);
    expect(result).toMatchObject({ ok: true, message: "Your request for Notify test app was sent to the admins." });
    const requestId = (result as { data: { requestId: string } }).data.requestId;

    // The immediate delivery runs, fails (Graph and the mail server are down) and leaves the row pending.
    await expect
      .poll(async () => (await pool.query(`SELECT attempts FROM "Notification" WHERE "requestId" = $1`, [requestId])).rows[0]?.attempts, { timeout: 30_000 })
      .toBe(1);
    const { rows: notifications } = await pool.query(`SELECT * FROM "Notification" WHERE "requestId" = $1`, [requestId]);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ kind: "request.created", channel: "email", audience: "reviewers", status: "pending", attempts: 1 });
    expect(notifications[0].lastError).toMatch(/^Looking up the recipients/);
    expect(notifications[0].nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(notifications[0].html).toContain("Quarterly report &#38; &#34;board&#34; pack");

    const { rows: requests } = await pool.query(`SELECT status, "appId" FROM "ConsentRequest" WHERE id = $1`, [requestId]);
    expect(requests).toEqual([{ status: "open", appId: app.appId }]);
    const { rows: events } = await pool.query(`SELECT outcome, after FROM "AuditEvent" WHERE action = 'consentRequest.create' AND "actorOid" = $1 ORDER BY seq`, [riley.oid]);
    expect(events.map((e) => e.outcome)).toEqual(["intended", "succeeded"]);
    expect(events[1].after).toMatchObject({ requestId, notifications: [notifications[0].id] });
    // No delivery outcome is recorded until the notification is sent or given up.
    expect((await pool.query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE action = 'notification.deliver'`)).rows[0].n).toBe(0);
  });
});
