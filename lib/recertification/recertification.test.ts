import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { createAuditLog, type AuditActor, type AuditLog } from "@/lib/audit/audit-log";
import { prismaSql } from "@/lib/audit/sql";
import type { BaselinePermission } from "@/lib/baseline/types";
import { createChangeEngine } from "@/lib/consent/engine/run-step";
import { createTargetLocks } from "@/lib/consent/engine/target-lock";
import { listAssignmentsHeldBy } from "@/lib/graph/app-role-assignments";
import { createGraphClient } from "@/lib/graph/client";
import { listGrantsOfClient } from "@/lib/graph/grants";
import { createOutbox } from "@/lib/notifications/outbox";
import { smtpTransport } from "@/lib/notifications/transports";
import { portalTestDatabase, type PortalTestDatabase } from "@/lib/testing/database";
import { graphPermission } from "@/lib/testing/permissions";
import { APPS, GRAPH_SP_ID, PORTAL_APP_ID, startHttpsSim, TID, USERS, type Sim } from "@/sim/graph/test-helpers";
import { PORTAL_APP_ROLES } from "@/sim/issuer/provider";
import { createMailSink, type MailSink } from "@/sim/mail/sink";
import { recordAttestation, runRecertification, syncRecertifications, updateAppSettings, type RecertificationDeps } from "./core";
import { addDays, stateOf } from "./schedule";

// Recertification as the portal runs it, with the clock in the test's hand: the simulated Graph over
// https (the portal's app-only identity as its issuer hands it out), a database of this file's own and
// the simulator's SMTP sink. Months pass in a few calls.

const DAY = 86_400_000;
const T0 = new Date("2026-01-05T09:00:00.000Z");
const at = (days: number, hours = 0) => new Date(T0.getTime() + days * DAY + hours * 3_600_000);
const OWNER = { oid: USERS.riley.id, upn: "riley.chen@contoso.onmicrosoft.com", name: "Riley Chen", mail: "riley.chen@contoso.onmicrosoft.com" };
const REVIEWERS = ["alex.wilber@contoso.onmicrosoft.com"];
const PORTAL: AuditActor = { oid: "00000000-0000-0000-0000-000000000000", tid: TID, upn: "portal", name: "Admin Consent Portal (recertification)", roles: ["portal"] };
const ADMIN: AuditActor = { oid: USERS.alex.id, tid: TID, upn: "alex.wilber@contoso.onmicrosoft.com", name: "Alex Wilber", roles: ["Global Administrator"] };
const CONTEXT = { clientIp: null, userAgent: "vitest" };

let database: PortalTestDatabase;
let pool: pg.Pool;
let prisma: PrismaClient;
let audit: AuditLog;
let sim: Sim;
let sink: MailSink;
let deps: RecertificationDeps;
const appOnly = () => createGraphClient({ baseUrl: sim.baseUrl, getAccessToken: () => sim.sign({ roles: PORTAL_APP_ROLES, appid: PORTAL_APP_ID, azp: PORTAL_APP_ID, idtyp: "app" }) });

/** An app consented tenant-wide (delegated scopes and one Graph application permission), with its approved baseline. */
async function consentedApp(appId: string, displayName: string, scope: string, appRole: string) {
  const alex = sim.tenant.actorFor(USERS.alex.id);
  const sp = sim.tenant.createServicePrincipal(appId, alex);
  sim.tenant.createGrant({ clientId: sp.id, consentType: "AllPrincipals", resourceId: GRAPH_SP_ID, scope }, alex);
  const role = sim.tenant.servicePrincipal(GRAPH_SP_ID)!.appRoles.find((r) => r.value === appRole)!;
  sim.tenant.createAppRoleAssignment(GRAPH_SP_ID, { principalId: sp.id, resourceId: GRAPH_SP_ID, appRoleId: role.id }, alex);
  const permissions = [...scope.split(" ").map((value) => graphPermission(value)), graphPermission(appRole, "Application")];
  await prisma.appBaseline.create({
    data: { appId, displayName, permissions: permissions as unknown as object, source: "grant", justification: "Approved for the sales team", approvedByOid: USERS.alex.id, approvedByUpn: ADMIN.upn, approvedByName: ADMIN.name, approvedAt: T0 },
  });
  return sp.id;
}

async function heldBy(spId: string) {
  const graph = appOnly();
  return { grants: await listGrantsOfClient(graph.client, spId), appRoles: await listAssignmentsHeldBy(graph.client, spId) };
}

const events = async (action: string, appId: string) =>
  (await pool.query<{ outcome: string; after: Record<string, unknown> | null; actorUpn: string }>(`SELECT outcome, after, "actorUpn" FROM "AuditEvent" WHERE action = $1 AND "targetAppId" = $2 ORDER BY seq`, [action, appId])).rows;
const outcomes = async (action: string, appId: string) => (await events(action, appId)).filter((e) => e.outcome !== "intended");
const mailsAbout = (appName: string) => sink.messages().filter((m) => m.subject.includes(appName));

beforeAll(async () => {
  database = await portalTestDatabase("recertification");
  ({ pool, prisma } = database);
  const sql = prismaSql(prisma, pool);
  audit = createAuditLog(sql);
  sim = await startHttpsSim();
  sink = createMailSink();
  const smtpPort = await sink.listen(0);
  const outbox = createOutbox({
    prisma,
    recordEvent: (event) => audit.recordEvent(event),
    email: smtpTransport({ host: "127.0.0.1", port: smtpPort, secure: false, user: null, password: null, from: "Admin Consent Portal <consent-portal@contoso.onmicrosoft.com>" }),
    webhook: null,
    recipients: { reviewers: async () => REVIEWERS, requester: async (oid) => (oid === OWNER.oid ? OWNER.mail : null) },
  });
  deps = {
    prisma,
    audit,
    outbox,
    graph: appOnly,
    engine: createChangeEngine({ audit, locks: createTargetLocks(sql) }),
    actor: PORTAL,
    origin: "https://consent.contoso.example",
    tenantId: TID,
    unusedAfterDays: 90,
  };
}, 120_000);

afterAll(async () => {
  await sink?.close();
  await sim?.close();
  await database?.close();
});

describe("recertification over time", () => {
  let nylasSp: string;
  let outreachSp: string;

  it("gives every app with a baseline a schedule; the admin names an owner and turns automatic revocation on for one app only", async () => {
    nylasSp = await consentedApp(APPS.nylas, "Nylas", "Mail.Read Calendars.Read", "User.Read.All");
    outreachSp = await consentedApp(APPS.outreach, "Outreach", "Contacts.Read", "User.Read.All");
    const rows = await syncRecertifications(deps);
    expect(rows.map((r) => r.displayName).sort()).toEqual(["Nylas", "Outreach"]);
    // Risk from the baseline's permissions (no scan yet): User.Read.All as an application permission is High → 90 days.
    expect(rows.find((r) => r.appId === APPS.nylas)).toMatchObject({ riskLevel: "High", dueAt: addDays(T0, 90) });

    const by = { actor: ADMIN, context: CONTEXT, justification: "Quarterly review of the sales tools" };
    await updateAppSettings(deps, APPS.nylas, { owner: OWNER, periodDays: 30, autoRevoke: true, warnDays: 7, graceDays: 14 }, by);
    await updateAppSettings(deps, APPS.outreach, { owner: null, periodDays: 30, autoRevoke: false, warnDays: 7, graceDays: 14 }, by);
    const nylas = await prisma.appRecertification.findUniqueOrThrow({ where: { appId: APPS.nylas } });
    expect(nylas).toMatchObject({ ownerUpn: OWNER.upn, autoRevoke: true, dueAt: addDays(T0, 30) });
    expect(await outcomes("recertification.settings", APPS.nylas)).toEqual([expect.objectContaining({ outcome: "succeeded", actorUpn: ADMIN.upn, after: expect.objectContaining({ owner: OWNER.upn, autoRevoke: true }) })]);

    expect(await runRecertification(deps, at(1))).toMatchObject({ apps: 2, reminded: 0, overdue: 0, warned: 0, revoked: 0 });
    expect(sink.messages()).toHaveLength(0);
  });

  it("reminds once when the task opens: the owner, or the reviewers when the app has none", async () => {
    expect(await runRecertification(deps, at(17))).toMatchObject({ reminded: 2 });
    expect(await runRecertification(deps, at(18))).toMatchObject({ reminded: 0 });
    const [toOwner] = mailsAbout("Nylas");
    expect(mailsAbout("Nylas")).toHaveLength(1);
    expect(toOwner).toMatchObject({ to: [OWNER.mail], subject: "Re-attest Nylas by 2026-02-04" });
    expect(toOwner?.text).toContain(`https://consent.contoso.example/attest/${APPS.nylas}?due=2026-02-04`);
    expect(toOwner?.text).toMatch(/permissions? on Microsoft Graph/);
    expect(mailsAbout("Outreach")).toEqual([expect.objectContaining({ to: REVIEWERS, subject: "Re-attest Outreach by 2026-02-04" })]);
    expect(await outcomes("recertification.reminder", APPS.nylas)).toEqual([expect.objectContaining({ outcome: "succeeded", actorUpn: "portal" })]);
    expect(await outcomes("recertification.reminder", APPS.outreach)).toHaveLength(1);
  });

  it("flags overdue apps once, to the owner and the reviewers", async () => {
    expect(await runRecertification(deps, at(31))).toMatchObject({ overdue: 2, warned: 0, revoked: 0 });
    expect(await runRecertification(deps, at(32))).toMatchObject({ overdue: 0 });
    const nylas = await prisma.appRecertification.findUniqueOrThrow({ where: { appId: APPS.nylas } });
    expect(stateOf(nylas, at(32))).toBe("overdue");
    const overdue = mailsAbout("Overdue: re-attestation of Nylas");
    expect(overdue.flatMap((m) => m.to).sort()).toEqual([...REVIEWERS, OWNER.mail].sort());
    expect(await outcomes("recertification.overdue", APPS.nylas)).toHaveLength(1);
    expect(await outcomes("recertification.overdue", APPS.outreach)).toHaveLength(1);
  });

  it("warns warnDays before the automatic revocation, only where it is on", async () => {
    // Due day 30 + 14 days' grace = day 44; the warning is 7 days before: day 37.
    expect(await runRecertification(deps, at(36))).toMatchObject({ warned: 0 });
    expect(await runRecertification(deps, at(37, 1))).toMatchObject({ warned: 1, revoked: 0 });
    expect(await runRecertification(deps, at(38))).toMatchObject({ warned: 0, revoked: 0 });
    const [warning] = mailsAbout("Nylas loses its consent on 2026-02-18");
    expect(warning?.text).toContain("revoke its consent automatically: on 2026-02-18");
    expect(await outcomes("recertification.warning", APPS.nylas)).toHaveLength(1);
    expect(await outcomes("recertification.warning", APPS.outreach)).toHaveLength(0);
  });

  it("revokes the consent automatically where enabled — read back through Graph — and leaves the other app alone", async () => {
    expect((await heldBy(nylasSp)).grants).toHaveLength(1);
    expect(await runRecertification(deps, at(43))).toMatchObject({ revoked: 0 });
    expect(await runRecertification(deps, at(44, 1))).toMatchObject({ revoked: 1, failed: 0 });

    const nylas = await heldBy(nylasSp);
    expect(nylas.grants).toEqual([]);
    expect(nylas.appRoles).toEqual([]);
    const outreach = await heldBy(outreachSp);
    expect(outreach.grants.map((g) => g.scope)).toEqual(["Contacts.Read"]);
    expect(outreach.appRoles).toHaveLength(1);

    const [revoke] = await outcomes("recertification.revoke", APPS.nylas);
    expect(revoke).toMatchObject({ outcome: "succeeded", actorUpn: "portal", after: { revoked: true } });
    // Each removal is a change-engine step of its own, by the portal, read back.
    expect(await outcomes("revoke.delegated.allPrincipals", APPS.nylas)).toEqual([expect.objectContaining({ outcome: "succeeded", actorUpn: "portal" })]);
    expect(await outcomes("revoke.applicationPermission", APPS.nylas)).toEqual([expect.objectContaining({ outcome: "succeeded", actorUpn: "portal" })]);
    expect(await outcomes("recertification.revoke", APPS.outreach)).toHaveLength(0);

    const row = await prisma.appRecertification.findUniqueOrThrow({ where: { appId: APPS.nylas } });
    expect(stateOf(row, at(45))).toBe("revoked");
    expect(mailsAbout("The consent of Nylas was revoked").flatMap((m) => m.to).sort()).toEqual([...REVIEWERS, OWNER.mail].sort());
    // Revoked stays revoked: nothing more is sent or done.
    const mails = sink.messages().length;
    expect(await runRecertification(deps, at(60))).toMatchObject({ reminded: 0, overdue: 0, warned: 0, revoked: 0 });
    expect(sink.messages()).toHaveLength(mails);
  });

  it("an attestation records what was attested, is audited, and sets the next due date", async () => {
    const { attestation, dueAt } = await recordAttestation(deps, { appId: APPS.outreach, decision: "attested", note: "Still used by sales" }, { actor: ADMIN, context: CONTEXT }, at(61));
    expect(dueAt).toEqual(at(91));
    expect(attestation).toMatchObject({ decision: "attested", attestedByUpn: ADMIN.upn, note: "Still used by sales" });
    expect((attestation.permissions as unknown as BaselinePermission[]).map((p) => p.value).sort()).toEqual(["Contacts.Read", "User.Read.All"]);
    const row = await prisma.appRecertification.findUniqueOrThrow({ where: { appId: APPS.outreach } });
    expect(row).toMatchObject({ dueAt: at(91), lastAttestedByUpn: ADMIN.upn, remindedAt: null, overdueNotifiedAt: null });
    expect(stateOf(row, at(61))).toBe("attested");
    expect(await outcomes("recertification.attest", APPS.outreach)).toEqual([expect.objectContaining({ outcome: "succeeded", after: expect.objectContaining({ dueAt: at(91).toISOString() }) })]);
    // The sync keeps the attested due date (the later of attestation and approval counts).
    await syncRecertifications(deps);
    expect((await prisma.appRecertification.findUniqueOrThrow({ where: { appId: APPS.outreach } })).dueAt).toEqual(at(91));
    // And the next period's reminder comes once again.
    expect(await runRecertification(deps, at(78))).toMatchObject({ reminded: 1 });
  });

  it("a proposal to revoke reaches the reviewers by mail with the revoke wizard's link; the schedule and the tenant stay as they are", async () => {
    const riley: AuditActor = { oid: OWNER.oid, tid: TID, upn: OWNER.upn, name: OWNER.name, roles: ["user"] };
    const note = "Sales moved to another tool in March";
    const { attestation, dueAt, notified } = await recordAttestation(deps, { appId: APPS.outreach, decision: "revoke-requested", note }, { actor: riley, context: CONTEXT }, at(80));
    expect(attestation).toMatchObject({ decision: "revoke-requested", attestedByUpn: OWNER.upn, note });
    expect(notified).toBe(true);
    expect(dueAt).toEqual(at(91));
    expect((await prisma.appRecertification.findUniqueOrThrow({ where: { appId: APPS.outreach } })).dueAt).toEqual(at(91));

    const [mail, ...more] = mailsAbout("Revocation proposed: Outreach");
    expect(more).toEqual([]);
    expect(mail!.to.sort()).toEqual(REVIEWERS);
    expect(mail!.text).toContain(`Riley Chen (${OWNER.upn}) proposes that the consent of Outreach be revoked`);
    expect(mail!.text).toContain(`> ${note}`);
    expect(mail!.text).toContain(`https://consent.contoso.example/admin/apps/${APPS.outreach}/revoke`);
    expect(await outcomes("recertification.proposeRevocation", APPS.outreach)).toEqual([
      expect.objectContaining({ outcome: "succeeded", actorUpn: OWNER.upn, after: expect.objectContaining({ decision: "revoke-requested", notifications: 1 }) }),
    ]);
    // Only an admin's revocation changes the tenant: the grants are all still there.
    const held = await heldBy(outreachSp);
    expect(held.grants.flatMap((g) => g.scope.split(" ")).filter(Boolean)).toEqual(["Contacts.Read"]);
    expect(held.appRoles).toHaveLength(1);
  });
});
