import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AuditActor } from "@/lib/audit";
import type { SignedInUser } from "@/lib/auth/guards";
import { createGraphClient, type GraphSession } from "@/lib/graph/client";
import { readUserConsentPolicies } from "@/lib/graph/policies";
import { graphScopesFor } from "@/lib/graph/scopes";
import { portalTestDatabase, type PortalTestDatabase } from "@/lib/testing/database";
import { graphPermission } from "@/lib/testing/permissions";
import { APPS, startHttpsSim, TID, USERS, type Sim, type UserKey } from "@/sim/graph/test-helpers";
import type { ApplyContext } from "./apply";
import { comparableSpec, diffSettings } from "./diff";
import type { SettingsDocument } from "./schema";
import { parseSettingsDocument, toYaml } from "./serialize";

// The settings document end to end, against the simulated Graph over https and a database of this file's
// own: export the tenant, change the document, see the diff, apply it through the wizards, and read the
// tenant back (through Graph) to find exactly the document, with every change in the audit trail.

// The wizards' modules reach the sign-in module through the server-action wrapper; nothing here signs in.
vi.mock("@/auth", () => import("@/lib/testing/session"));

let sim: Sim;
let database: PortalTestDatabase;
let pool: pg.Pool;
let mod: {
  apply: typeof import("./apply");
  read: typeof import("./read");
  store: typeof import("@/lib/baseline/store");
  engine: typeof import("@/lib/consent/engine");
};

const MAIL_SEND = graphPermission("Mail.Send");
const MAIL_READ = graphPermission("Mail.Read");

beforeAll(async () => {
  sim = await startHttpsSim();
  database = await portalTestDatabase("settings_document", { graph: sim.baseUrl });
  mod = {
    apply: await import("./apply"),
    read: await import("./read"),
    store: await import("@/lib/baseline/store"),
    engine: await import("@/lib/consent/engine"),
  };
  pool = database.pool;
}, 120_000);
afterAll(async () => {
  await database?.close();
  await sim?.close();
});

function session(who: UserKey, scp?: string) {
  const graph: GraphSession = createGraphClient({ baseUrl: sim.baseUrl, getAccessToken: () => sim.token(who, scp ? { scp } : undefined), retry: { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 100 } });
  const actor: AuditActor = { oid: USERS[who].id, tid: TID, upn: `${who}@contoso.example`, name: who, roles: [...USERS[who].wids] };
  const user = { oid: USERS[who].id, tid: TID, upn: actor.upn, name: who, role: "admin", wids: [...USERS[who].wids], entraRoles: [] } as unknown as SignedInUser;
  const request = { clientIp: null, userAgent: "settings-document-test" };
  const justification = `Settings document test as ${who}: bring the tenant to the reviewed document`;
  const context: ApplyContext = {
    read: { graph, user },
    change: { graph, actor, request, justification, engine: mod.engine.changeEngine() },
    baselineWriter: { actor, context: request },
    readOptions: { tenantId: TID, exportedBy: actor.upn },
  };
  return { graph, actor, context, justification };
}

function parsed(text: string): SettingsDocument {
  const result = parseSettingsDocument(text);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.document;
}

async function auditActions(since: number): Promise<{ action: string; outcome: string; justification: string | null }[]> {
  const { rows } = await pool.query(`SELECT action, outcome, justification FROM "AuditEvent" WHERE seq > $1 ORDER BY seq`, [since]);
  return rows;
}
async function lastSeq(): Promise<number> {
  const { rows } = await pool.query(`SELECT coalesce(max(seq), 0)::int AS seq FROM "AuditEvent"`);
  return rows[0].seq;
}

describe("a settings document exported, changed, diffed and applied", () => {
  it("brings the tenant to the document: read back through Graph it equals the document, and every change is audited", async () => {
    const alex = session("alex");
    await mod.store.saveBaseline(
      { appId: APPS.nylas, displayName: "Nylas", permissions: [MAIL_READ], verifiedPublisher: null, source: "adopted", justification: "Approved before the portal existed" },
      { actor: alex.actor, context: { clientIp: null, userAgent: "test" } },
    );
    const exported = await mod.read.readTenantSettings(alex.graph, alex.context.readOptions);
    const fingerprint = mod.read.settingsFingerprint(exported.spec);
    const before = exported.spec;
    expect(before.baselines?.map((b) => b.displayName)).toEqual(["Nylas"]);

    // The reviewed change, made to the exported YAML as a security team would in Git.
    const doc = parsed(toYaml(exported));
    const userPolicy = before.userConsent?.policy === "none" ? "low-impact" : "none";
    doc.spec.userConsent = { policy: userPolicy };
    doc.spec.adminConsentWorkflow = { enabled: true, reviewers: [{ type: "user", id: USERS.alex.id }], notifyReviewers: false, remindersEnabled: true, requestDurationInDays: 14 };
    const lowNow = before.classifications!.lowImpact;
    const dropped = lowNow[0];
    const addedLow = ["Calendars.Read", "Contacts.Read"].find((p) => !lowNow.some((n) => n.toLowerCase() === p.toLowerCase()))!;
    doc.spec.classifications = { lowImpact: [...lowNow.slice(1), addedLow] };
    const groupMode = before.groupOwnerConsent?.mode === "all" ? "off" : "all";
    doc.spec.groupOwnerConsent = { mode: groupMode };
    doc.spec.baselines = [
      { ...doc.spec.baselines![0]!, permissions: [MAIL_READ, MAIL_SEND] },
      { appId: APPS.outreach, displayName: "Outreach", verifiedPublisher: null, permissions: [MAIL_READ] },
    ];
    const changed = parsed(toYaml(doc));

    const diff = diffSettings(before, changed.spec);
    const lines = Object.fromEntries(diff.sections.map((s) => [s.section, s.lines]));
    expect(lines.userConsent).toHaveLength(1);
    expect(lines.userConsent![0]).toMatch(/^User consent: .+ → (Do not allow user consent|Verified publishers, low-impact permissions)$/);
    expect(lines.classifications).toEqual([`Classifications: + ${addedLow}${dropped ? `, − ${dropped}` : ""}`]);
    expect(lines.baselines).toEqual(["Baseline of Nylas: + Mail.Send (all users)", "Baseline of Outreach (new): + Mail.Read (all users)"]);
    expect(lines.adminConsentWorkflow!.join("\n")).toContain("requests expire after");
    expect(lines.groupOwnerConsent).toHaveLength(1);

    const since = await lastSeq();
    const outcome = await mod.apply.applySettingsDocument(alex.context, changed, { fingerprint, ack: true });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.sections.map((s) => [s.section, s.status, s.reason])).toEqual([
      ["userConsent", "applied", null],
      ["adminConsentWorkflow", "applied", null],
      ["classifications", "applied", null],
      ["groupOwnerConsent", "applied", null],
      ["baselines", "applied", null],
    ]);

    // The tenant read back (Graph and the baselines) is the document.
    const after = await mod.read.readTenantSettings(alex.graph, alex.context.readOptions);
    expect(diffSettings(after.spec, changed.spec).changed).toBe(false);
    expect(comparableSpec(after.spec)).toEqual(comparableSpec(changed.spec));
    const assigned = await readUserConsentPolicies(alex.graph.client);
    expect(assigned.some((e) => e.toLowerCase().startsWith("managepermissiongrantsforself."))).toBe(userPolicy !== "none");

    // Each wizard's change and each baseline is in the audit trail, intent and outcome, with the admin's reason.
    const events = await auditActions(since);
    const succeeded = (action: string) => events.filter((e) => e.action === action && e.outcome === "succeeded");
    expect(succeeded("policy.userConsent.update")).toHaveLength(1);
    expect(succeeded("policy.consentWorkflow.update")).toHaveLength(1);
    expect(events.filter((e) => e.action.startsWith("policy.classification.") && e.outcome === "succeeded")).toHaveLength(dropped ? 2 : 1);
    expect(succeeded("policy.groupConsent.update")).toHaveLength(1);
    expect(succeeded("baseline.settings-document")).toHaveLength(2);
    expect(events.filter((e) => e.outcome === "intended").length).toBe(events.filter((e) => e.outcome !== "intended").length);
    expect(events.every((e) => e.justification === alex.justification)).toBe(true);

    // Applying it again changes nothing.
    const again = await mod.apply.applySettingsDocument(alex.context, changed, { fingerprint: mod.read.settingsFingerprint(after.spec), ack: true });
    expect(again.ok && again.sections.map((s) => s.status)).toEqual(["unchanged", "unchanged", "unchanged", "unchanged", "unchanged"]);
  });

  it("reads the same document with a reviewer's read-only Graph scopes", async () => {
    // The token carries scope names as Entra puts them in `scp`: without the resource prefix.
    const sam = session("sam", graphScopesFor("reviewer").map((scope) => scope.replace(/^https:\/\/graph\.microsoft\.com\//, "")).join(" "));
    const alex = session("alex");
    const asReviewer = await mod.read.readTenantSettings(sam.graph, sam.context.readOptions);
    expect(asReviewer.spec).toEqual((await mod.read.readTenantSettings(alex.graph, alex.context.readOptions)).spec);
    expect(sam.graph.calls.every((call) => call.method === "GET")).toBe(true);
  });

  it("refuses when the tenant changed after the preview, and changes nothing", async () => {
    const alex = session("alex");
    const exported = await mod.read.readTenantSettings(alex.graph, alex.context.readOptions);
    const stale = mod.read.settingsFingerprint({ ...exported.spec, classifications: { lowImpact: [] } });
    const doc = parsed(toYaml(exported));
    doc.spec.userConsent = { policy: exported.spec.userConsent?.policy === "all-apps" ? "none" : "all-apps" };
    const since = await lastSeq();
    const outcome = await mod.apply.applySettingsDocument(alex.context, doc, { fingerprint: stale, ack: false });
    expect(outcome).toEqual({ ok: false, message: mod.apply.CHANGED_SINCE_PREVIEW });
    expect(await auditActions(since)).toEqual([]);
    expect(comparableSpec((await mod.read.readTenantSettings(alex.graph, alex.context.readOptions)).spec)).toEqual(comparableSpec(exported.spec));
  });

  it("blocks the sections the admin's Entra role cannot change, with the wizard's reason, and applies the rest", async () => {
    const casey = session("casey"); // Cloud Application Administrator: not the authorization policy, not group consent
    const exported = await mod.read.readTenantSettings(casey.graph, casey.context.readOptions);
    const doc = parsed(toYaml(exported));
    const policyNow = exported.spec.userConsent!.policy;
    doc.spec.userConsent = { policy: policyNow === "all-apps" ? "none" : "all-apps" };
    doc.spec.adminConsentWorkflow = { ...exported.spec.adminConsentWorkflow!, requestDurationInDays: exported.spec.adminConsentWorkflow!.requestDurationInDays === 7 ? 8 : 7 };
    const outcome = await mod.apply.applySettingsDocument(casey.context, doc, { fingerprint: mod.read.settingsFingerprint(exported.spec), ack: false });
    if (!outcome.ok) throw new Error(outcome.message);
    const byKey = Object.fromEntries(outcome.sections.map((s) => [s.section, s]));
    expect(byKey.userConsent!.status).toBe("blocked");
    expect(byKey.userConsent!.reason).toBe("Not with your role: The authorization policy needs Privileged Role Administrator or Global Administrator.");
    expect(byKey.adminConsentWorkflow!.status).toBe("applied");
    const now = (await mod.read.readTenantSettings(casey.graph, casey.context.readOptions)).spec;
    expect(now.userConsent!.policy).toBe(policyNow);
    expect(now.adminConsentWorkflow!.requestDurationInDays).toBe(doc.spec.adminConsentWorkflow!.requestDurationInDays);
  });

  it("refuses to classify a high-risk permission without the acknowledgment", async () => {
    const alex = session("alex");
    const exported = await mod.read.readTenantSettings(alex.graph, alex.context.readOptions);
    const doc = parsed(toYaml(exported));
    doc.spec.classifications = { lowImpact: [...exported.spec.classifications!.lowImpact, "Mail.ReadWrite"] };
    expect(diffSettings(exported.spec, doc.spec).highRiskClassifications).toEqual(["Mail.ReadWrite"]);
    const outcome = await mod.apply.applySettingsDocument(alex.context, doc, { fingerprint: mod.read.settingsFingerprint(exported.spec), ack: false });
    if (!outcome.ok) throw new Error(outcome.message);
    const section = outcome.sections.find((s) => s.section === "classifications")!;
    expect(section.status).toBe("blocked");
    expect(section.reason).toContain("Mail.ReadWrite");
    const now = (await mod.read.readTenantSettings(alex.graph, alex.context.readOptions)).spec;
    expect(now.classifications!.lowImpact.map((n) => n.toLowerCase())).not.toContain("mail.readwrite");
  });
});
