import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { createAuditLog, type AuditActor } from "@/lib/audit/audit-log";
import { pgSql, type AuditSql } from "@/lib/audit/sql";
import type { SignedInUser } from "@/lib/auth/guards";
import { readAppState, ResourceDirectory } from "@/lib/consent/app-state";
import { createChangeEngine } from "@/lib/consent/engine/run-step";
import { executeGrant } from "@/lib/consent/grant/execute";
import { planGrant } from "@/lib/consent/grant/plan";
import { readPublishedScopes } from "@/lib/consent/grant/published-scopes";
import { executeRevoke } from "@/lib/consent/revoke/execute";
import { planRevoke } from "@/lib/consent/revoke/plan";
import { revokeSelectionFrom } from "@/lib/consent/revoke/schema";
import { createTargetLocks } from "@/lib/consent/engine/target-lock";
import { createGraphClient, type GraphSession } from "@/lib/graph/client";
import { createTenantWideGrant, findTenantWideGrant, replaceGrantScope } from "@/lib/graph/grants";
import { createServicePrincipal, findServicePrincipalByAppId, getResourceServicePrincipal } from "@/lib/graph/service-principals";
import { createOutbox } from "@/lib/notifications/outbox";
import { portalTestDatabase, type PortalTestDatabase } from "@/lib/testing/database";
import { graphPermission } from "@/lib/testing/permissions";
import { scanTenant } from "@/lib/inventory/scan/engine";
import { APPS, GRAPH_APP_ID, PORTAL_APP_ID, startHttpsSim, TID, USERS, type Sim } from "@/sim/graph/test-helpers";
import { PORTAL_APP_ROLES } from "@/sim/issuer/provider";
import { checkAppsLive } from "./drift-check";
import { enqueueDriftNotifications } from "./drift-notify";
import { acceptDrift, revertDrift, type RevertWizards } from "./drift-resolve";
import { openDrifts, readDrift } from "./drift-store";
import { saveBaseline } from "./store";
import type { BaselinePermission } from "./types";

// Drift against the real parts: the simulated Graph over https, a fresh migrated database, the change
// engine and the wizards' own load and execute. The tenant is changed "outside the portal" through
// lib/graph directly, as an admin in Entra would; every outcome is read back from the tenant.

let sim: Sim;
let database: PortalTestDatabase;
let pool: pg.Pool;
let prisma: PrismaClient;
let sql: AuditSql;

const actor: AuditActor = { oid: USERS.alex.id, tid: TID, upn: "alex@contoso.example", name: "Alex Wilber", roles: ["Global Administrator"] };
const user: SignedInUser = { oid: USERS.alex.id, tid: TID, name: "Alex Wilber", upn: "alex@contoso.example", role: "admin", wids: [...USERS.alex.wids], entraRoles: ["Global Administrator"] };
const by = { actor, context: { clientIp: null, userAgent: "test" } };
const graph = (): GraphSession => createGraphClient({ baseUrl: sim.baseUrl, getAccessToken: () => sim.token("alex"), retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 500 } });
const now = () => new Date();

beforeAll(async () => {
  sim = await startHttpsSim();
  // The portal's own handles (lib/db.ts) over this database: the baseline store writes through them.
  database = await portalTestDatabase("baseline_drift");
  ({ pool, prisma } = database);
  sql = pgSql(pool);
}, 120_000);

afterAll(async () => {
  await database?.close();
  await sim?.close();
});

beforeEach(async () => {
  sim.tenant.reset();
  await pool.query(`DELETE FROM "BaselineDrift"; DELETE FROM "AppBaseline"; DELETE FROM "Notification"`);
});

/** The app consented tenant-wide to `scope` on Microsoft Graph, as an admin would in Entra (outside the portal). */
async function consentOutside(appId: string, scope: string) {
  const client = graph().client;
  const sp = (await findServicePrincipalByAppId(client, appId)) ?? (await createServicePrincipal(client, appId));
  const resource = (await getResourceServicePrincipal(client, { appId: GRAPH_APP_ID }))!;
  const grant = await findTenantWideGrant(client, sp.id!, resource.id!);
  if (grant) await replaceGrantScope(client, grant.id, scope);
  else await createTenantWideGrant(client, sp.id!, resource.id!, scope);
}

/** The scopes the tenant holds for all users of the app on Microsoft Graph, read through Graph. */
async function tenantScopes(appId: string): Promise<string[]> {
  const client = graph().client;
  const sp = await findServicePrincipalByAppId(client, appId);
  if (!sp) return [];
  const resource = (await getResourceServicePrincipal(client, { appId: GRAPH_APP_ID }))!;
  return ((await findTenantWideGrant(client, sp.id!, resource.id!))?.scope ?? "").split(" ").filter(Boolean).sort();
}

async function approve(appId: string, displayName: string, scopes: string[], verifiedPublisher: string | null = null) {
  await saveBaseline({ appId, displayName, permissions: scopes.map((s) => graphPermission(s)), verifiedPublisher, source: "grant", justification: "Approved for the sales team" }, by);
}

const check = (appIds: string[]) => checkAppsLive(graph(), sql, { appIds, detectedBy: "check", now: now() });

/**
 * The revoke and grant wizards' plan and execute, as their load composes them (the portal's wizard modules
 * also need the signed-in session, which a unit test has not): the same engine steps and read-backs.
 */
const wizards: RevertWizards<ReturnType<typeof planRevoke>, ReturnType<typeof planGrant>> = {
  revoke: {
    load: async ({ graph, user }, input) => planRevoke({ selection: revokeSelectionFrom(input).selection, state: await readAppState(graph, input.appId), adminWids: user.wids }),
    execute: (context, plan, input) => executeRevoke({ ...context, appId: input.appId }, plan, input.appId),
  },
  grant: {
    load: async ({ graph, user }, input) => {
      const resources = new ResourceDirectory(graph.client);
      const delegated = input.d.map((pair) => pair.split("|") as [string, string]);
      const roles = input.r.map((pair) => pair.split("|") as [string, string]);
      const apis = [...new Set([...delegated, ...roles].map(([api]) => api))];
      return planGrant({
        selection: {
          delegated: apis.map((api) => ({ resourceAppId: api, scopes: delegated.filter(([a]) => a === api).map(([, s]) => s) })).filter((d) => d.scopes.length),
          appRoles: apis.map((api) => ({ resourceAppId: api, values: roles.filter(([a]) => a === api).map(([, s]) => s) })).filter((r) => r.values.length),
        },
        state: await readAppState(graph, input.appId, resources),
        resources: new Map(await Promise.all(apis.map(async (api) => [api, await resources.byApp(api)] as const))),
        publishedScopes: await readPublishedScopes(graph.client, apis),
        adminWids: user.wids,
      });
    },
    execute: (context, plan, input) => executeGrant({ ...context, appId: input.appId }, plan, input.appId),
  },
};

function changeContext(justification: string) {
  const engine = createChangeEngine({ audit: createAuditLog(sql), locks: createTargetLocks(sql) });
  return { graph: graph(), actor, request: { clientIp: null, userAgent: "test" }, justification, engine, user, now };
}

describe("drift against the simulated tenant", () => {
  it("added outside the portal: detected once, seen again, reverted through the revoke wizard, the tenant read back", async () => {
    await consentOutside(APPS.nylas, "User.Read Calendars.ReadWrite");
    await approve(APPS.nylas, "Nylas", ["User.Read", "Calendars.ReadWrite"]);
    expect((await check([APPS.nylas])).opened).toEqual([]);

    await consentOutside(APPS.nylas, "User.Read Calendars.ReadWrite Mail.Send");
    const first = await check([APPS.nylas]);
    expect(first.opened).toEqual([expect.objectContaining({ kind: "added", appId: APPS.nylas, permissions: [graphPermission("Mail.Send")] })]);
    const again = await check([APPS.nylas]);
    expect(again).toMatchObject({ opened: [], seen: 1 });
    expect(await openDrifts(sql)).toHaveLength(1);

    const outcome = await revertDrift(sql, changeContext("Mail.Send was never approved"), first.opened[0]!.id, wizards);
    expect(outcome).toMatchObject({ reverted: true, stillDrifting: false });
    expect(await tenantScopes(APPS.nylas)).toEqual(["Calendars.ReadWrite", "User.Read"]);
    expect(await readDrift(sql, first.opened[0]!.id)).toMatchObject({ status: "reverted", closedByUpn: "alex@contoso.example", closedReason: "Mail.Send was never approved" });
    const audited = await pool.query(`SELECT action, outcome FROM "AuditEvent" WHERE justification = 'Mail.Send was never approved' AND outcome <> 'intended'`);
    expect(audited.rows.length).toBeGreaterThan(0);
    expect(audited.rows.every((row) => row.outcome === "succeeded")).toBe(true);
  });

  it("added outside the portal, accepted: the baseline takes it in, audited with the justification naming the drift, and it is no drift any more", async () => {
    await consentOutside(APPS.nylas, "User.Read Contacts.ReadWrite");
    await approve(APPS.nylas, "Nylas", ["User.Read"]);
    const { opened } = await check([APPS.nylas]);
    expect(opened.map((d) => d.kind)).toEqual(["added"]);

    await acceptDrift(sql, { driftId: opened[0]!.id, justification: "The sales team syncs contacts now", by, now: now(), verifiedPublisher: null });
    const baseline = await prisma.appBaseline.findUniqueOrThrow({ where: { appId: APPS.nylas } });
    expect(baseline).toMatchObject({ source: "drift-accepted", version: 2 });
    expect((baseline.permissions as unknown as BaselinePermission[]).map((p) => p.value).sort()).toEqual(["Contacts.ReadWrite", "User.Read"]);
    expect(await readDrift(sql, opened[0]!.id)).toMatchObject({ status: "accepted", closedReason: "The sales team syncs contacts now" });
    const event = await pool.query(`SELECT justification FROM "AuditEvent" WHERE action = 'baseline.drift-accepted' AND outcome = 'succeeded'`);
    expect(event.rows[0]?.justification).toContain(`accepting drift ${opened[0]!.id}`);
    expect(await tenantScopes(APPS.nylas)).toEqual(["Contacts.ReadWrite", "User.Read"]);
    expect((await check([APPS.nylas])).opened).toEqual([]);
    expect(await openDrifts(sql)).toEqual([]);
  });

  it("removed outside the portal: detected, reverted through the grant wizard (the tenant holds it again), or accepted (the baseline drops it)", async () => {
    await consentOutside(APPS.nylas, "User.Read Calendars.ReadWrite Contacts.ReadWrite");
    await approve(APPS.nylas, "Nylas", ["User.Read", "Calendars.ReadWrite", "Contacts.ReadWrite"]);
    await consentOutside(APPS.nylas, "User.Read");
    const { opened } = await check([APPS.nylas]);
    expect(opened.map((d) => [d.kind, d.permissions[0]!.value]).sort()).toEqual([
      ["removed", "Calendars.ReadWrite"],
      ["removed", "Contacts.ReadWrite"],
    ]);
    const calendars = opened.find((d) => d.permissions[0]!.value === "Calendars.ReadWrite")!;
    const contacts = opened.find((d) => d.permissions[0]!.value === "Contacts.ReadWrite")!;

    const outcome = await revertDrift(sql, changeContext("Calendars.ReadWrite was taken away by mistake"), calendars.id, wizards);
    expect(outcome).toMatchObject({ reverted: true });
    expect(await tenantScopes(APPS.nylas)).toEqual(["Calendars.ReadWrite", "User.Read"]);
    expect(await readDrift(sql, calendars.id)).toMatchObject({ status: "reverted" });
    expect(await readDrift(sql, contacts.id)).toMatchObject({ status: "open" });

    await acceptDrift(sql, { driftId: contacts.id, justification: "Contacts are no longer synced", by, now: now(), verifiedPublisher: null });
    const baseline = await prisma.appBaseline.findUniqueOrThrow({ where: { appId: APPS.nylas } });
    expect((baseline.permissions as unknown as BaselinePermission[]).map((p) => p.value).sort()).toEqual(["Calendars.ReadWrite", "User.Read"]);
    expect((await check([APPS.nylas])).opened).toEqual([]);
    expect(await openDrifts(sql)).toEqual([]);
  });

  it("an app with consent and no baseline: detected once the portal approves anything; accepting adopts it, reverting revokes its consent", async () => {
    await consentOutside(APPS.outreach, "User.Read Mail.Send");
    await consentOutside(APPS.oktaMail, "User.Read Mail.ReadWrite");
    expect((await check([APPS.outreach, APPS.oktaMail])).opened).toEqual([]); // nothing approved yet: nothing to drift from
    await consentOutside(APPS.nylas, "User.Read");
    await approve(APPS.nylas, "Nylas", ["User.Read"]);

    const { opened } = await check([APPS.outreach, APPS.oktaMail]);
    expect(opened.map((d) => [d.kind, d.appId]).sort()).toEqual([
      ["unapproved-app", APPS.outreach],
      ["unapproved-app", APPS.oktaMail],
    ]);
    const outreach = opened.find((d) => d.appId === APPS.outreach)!;
    const okta = opened.find((d) => d.appId === APPS.oktaMail)!;
    expect(outreach.permissions.map((p) => p.value).sort()).toEqual(["Mail.Send", "User.Read"]);

    await acceptDrift(sql, { driftId: outreach.id, justification: "Outreach is the sales team's tool", by, now: now(), verifiedPublisher: null });
    const adopted = await prisma.appBaseline.findUniqueOrThrow({ where: { appId: APPS.outreach } });
    expect(adopted).toMatchObject({ source: "drift-accepted", version: 1 });

    const outcome = await revertDrift(sql, changeContext("Nobody approved this app"), okta.id, wizards);
    expect(outcome).toMatchObject({ reverted: true });
    expect(await tenantScopes(APPS.oktaMail)).toEqual([]);
    expect((await check([APPS.outreach, APPS.oktaMail])).opened).toEqual([]);
    expect(await openDrifts(sql)).toEqual([]);
  });

  it("publisher verification lost: detected, cannot be reverted, accepted as the app is now", async () => {
    await consentOutside(APPS.nylas, "User.Read");
    const sp = sim.tenant.servicePrincipalByAppId(APPS.nylas)!;
    const publisher = sp.verifiedPublisher.displayName!;
    await approve(APPS.nylas, "Nylas", ["User.Read"], publisher);
    expect((await check([APPS.nylas])).opened).toEqual([]);
    // Microsoft withdraws the verification: nobody in the tenant does that, so the simulated directory changes underneath.
    sp.verifiedPublisher = { displayName: null, verifiedPublisherId: null, addedDateTime: null };
    const { opened } = await check([APPS.nylas]);
    expect(opened).toEqual([expect.objectContaining({ kind: "publisher-unverified" })]);
    expect(opened[0]!.detail).toContain(publisher);

    expect(await revertDrift(sql, changeContext("Try to put it back"), opened[0]!.id, wizards)).toMatchObject({ refusal: expect.stringContaining("cannot be put back") });
    await acceptDrift(sql, { driftId: opened[0]!.id, justification: "The vendor is known to us; verification lapsed with their new tenant", by, now: now(), verifiedPublisher: null });
    expect(await prisma.appBaseline.findUniqueOrThrow({ where: { appId: APPS.nylas } })).toMatchObject({ verifiedPublisher: null, version: 2 });
    expect((await check([APPS.nylas])).opened).toEqual([]);
  });

  it("a drift the tenant no longer shows is resolved on the next check, and a new one is a new row", async () => {
    await consentOutside(APPS.nylas, "User.Read Mail.Send");
    await approve(APPS.nylas, "Nylas", ["User.Read"]);
    const { opened } = await check([APPS.nylas]);
    await consentOutside(APPS.nylas, "User.Read");
    expect(await check([APPS.nylas])).toMatchObject({ opened: [], resolved: 1 });
    expect(await readDrift(sql, opened[0]!.id)).toMatchObject({ status: "resolved", closedByUpn: null });
    await consentOutside(APPS.nylas, "User.Read Mail.Send");
    const reopened = await check([APPS.nylas]);
    expect(reopened.opened).toHaveLength(1);
    expect(reopened.opened[0]!.id).not.toBe(opened[0]!.id);
  });

  it("an inventory scan finds the drift of the whole tenant, and the next scan resolves what the tenant no longer shows", async () => {
    await consentOutside(APPS.nylas, "User.Read Calendars.ReadWrite");
    await approve(APPS.nylas, "Nylas", ["User.Read", "Contacts.ReadWrite"]);
    await consentOutside(APPS.outreach, "User.Read");
    const token = sim.sign({ roles: PORTAL_APP_ROLES, appid: PORTAL_APP_ID, azp: PORTAL_APP_ID, idtyp: "app" });
    const appOnly = createGraphClient({ baseUrl: sim.baseUrl, getAccessToken: () => token, retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 500 } });
    const scan = () => scanTenant({ graph: appOnly, sql, tenantId: TID });
    expect(await scan()).toMatchObject({ status: "completed" });
    const found = await openDrifts(sql);
    const nylas = found.filter((d) => d.appId === APPS.nylas).map((d) => [d.kind, d.permissions[0]?.value]).sort();
    expect(nylas).toEqual([
      ["added", "Calendars.ReadWrite"],
      ["removed", "Contacts.ReadWrite"],
    ]);
    expect(found.find((d) => d.appId === APPS.outreach)).toMatchObject({ kind: "unapproved-app", detectedBy: "scan" });
    expect(found.every((d) => d.detectedBy === "scan")).toBe(true);

    await consentOutside(APPS.nylas, "User.Read Contacts.ReadWrite");
    expect(await scan()).toMatchObject({ status: "completed" });
    const after = await openDrifts(sql);
    expect(after.filter((d) => d.appId === APPS.nylas)).toEqual([]);
    const closed = await pool.query(`SELECT count(*)::int AS n FROM "BaselineDrift" WHERE "appId" = $1 AND status = 'resolved'`, [APPS.nylas]);
    expect(closed.rows[0].n).toBe(2);
  }, 120_000);

  it("tells the reviewers and the app's owner once, one message listing the new drifts", async () => {
    await consentOutside(APPS.nylas, "User.Read Mail.Send Contacts.ReadWrite");
    await approve(APPS.nylas, "Nylas", ["User.Read"]);
    await prisma.appRecertification.create({
      data: { appId: APPS.nylas, displayName: "Nylas", riskLevel: "High", ownerOid: USERS.riley.id, ownerUpn: "riley@contoso.example", ownerName: "Riley", dueAt: new Date(Date.now() + 86_400_000) },
    });
    expect((await check([APPS.nylas])).opened).toHaveLength(2);
    const sent: { to: string[]; subject: string; text: string }[] = [];
    const outbox = createOutbox({
      prisma,
      recordEvent: async () => undefined,
      email: { send: async (mail) => (sent.push(mail), { messageId: "m", accepted: mail.to, rejected: [] }) },
      webhook: null,
      recipients: { reviewers: async () => ["sam@contoso.example"], requester: async () => "riley@contoso.example" },
    });
    const deps = { prisma, sql, outbox, origin: "https://portal.example", actor };
    const ids = await enqueueDriftNotifications(deps);
    expect(ids).toHaveLength(2); // the reviewers' mail and the owner's
    await outbox.deliver(ids);
    expect(sent.map((m) => m.to)).toEqual([["sam@contoso.example"], ["riley@contoso.example"]]);
    expect(sent[0]!.subject).toBe("Consent drift: 2 changes outside the approved baseline (Nylas)");
    expect(sent[0]!.text).toContain("Mail.Send on Microsoft Graph was granted for all users outside the portal");
    expect(sent[0]!.text).toContain("Contacts.ReadWrite on Microsoft Graph");
    expect(sent[0]!.text).toContain("https://portal.example/inventory/drift");
    expect(await enqueueDriftNotifications(deps)).toEqual([]);
    expect((await check([APPS.nylas])).opened).toEqual([]);
    expect(await enqueueDriftNotifications(deps)).toEqual([]);
  });
});
