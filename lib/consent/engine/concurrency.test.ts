import { spawn } from "node:child_process";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from "jose";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "@/lib/audit/sql";
import { findServicePrincipal, scopesOf } from "@/lib/consent/app-state";
import { SELF_PREFIX, type UserConsentChoice } from "@/lib/consent/user-consent/plan";
import { findTenantWideGrant } from "@/lib/graph/grants";
import { readUserConsentPolicies } from "@/lib/graph/policies";
import { readDelegatedScopesOf } from "@/lib/graph/service-principals";
import { createGraphHandler, loadTenantFromFixtures, type GraphHandler } from "@/sim/graph";
import { ensureCertificate } from "@/sim/local-secrets";
import { ADMIN_SCOPES, APPS, GRAPH_APP_ID, GRAPH_SP_ID, ISSUER, TID, USERS, type UserKey } from "@/sim/graph/test-helpers";
import { freshTestDatabase, type TestDatabase } from "@/scripts/lib/test-database";
import type { StepResult } from "./run-step";
import { adminSession, engineOver, grantDelegated, ownedResourceStep, revokeDelegated, runPolicyStep, setUserConsent, type Admin, type AdminSession, type Operation } from "./testing/admin-ops";
import { auditRows, grantState, historyProblems, lastAfter, policyState, type AuditRow } from "./testing/audit-chain";

// Two admins changing the same tenant object at the same time (S17, S24): through the change engine
// (lease lock in "ChangeLock", audit before/after, read-back) against the simulated Graph over https and
// a database of this file's own — PGlite, or PostgreSQL when DATABASE_URL is set — and, on PostgreSQL,
// from two portal processes at once. No change may be lost, and the audit trail must tell each object's
// history without a gap: every `after` is what Graph read back, and the last one is the tenant now.

const ROUNDS = 20;
const ALEX: Admin = { name: "alex", oid: USERS.alex.id, wids: [...USERS.alex.wids] };
const PRIYA: Admin = { name: "priya", oid: USERS.priya.id, wids: [...USERS.priya.wids] };
const GRANT_ACTIONS = ["grant.delegated.allPrincipals", "revoke.delegated.allPrincipals"];
const POLICY_ACTIONS = ["policy.userConsent.update", "policy.ownedResourceConsent.update"];
/** The base scope each test app keeps, so revoking never empties (and deletes) its grant. */
const BASE_SCOPE = "User.Read";
const CHAT_POLICY = "microsoft-dynamically-managed-permissions-for-chat";
const TEAM_ENTRY = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team";
const CHOICES: UserConsentChoice[] = ["none", "legacy", "low"];
/** freshTestDatabase uses the PostgreSQL server of DATABASE_URL when it is set, PGlite otherwise. */
const ON_POSTGRES = !!process.env.DATABASE_URL;

/** 5–40 ms per Graph call, from a seeded generator so runs repeat as far as the scheduler lets them. */
const latency = (() => {
  let state = 17;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return 5 + (state % 36);
  };
})();

let database: TestDatabase;
let pool: pg.Pool;
let server: Server;
let handler: GraphHandler;
let baseUrl: string;
const tokens = {} as Record<UserKey, string>;
let alex: AdminSession;
let priya: AdminSession;
/** Microsoft Graph's delegated scopes, fresh ones for each test to grant and revoke. */
let scopes: string[];

beforeAll(async () => {
  database = await freshTestDatabase("engine_concurrency");
  // PGlite is one session behind its socket: one connection for everything, as the embedded portal runs.
  pool = createPool(database.url, database.poolSize);

  const tls = await ensureCertificate(process.env.SIM_TEST_TLS_DIR ?? path.join(".data", "vitest"));
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k", alg: "RS256" };
  handler = createGraphHandler({ tenant: loadTenantFromFixtures(), issuer: ISSUER, keys: createLocalJWKSet({ keys: [jwk] }) });
  // Every Graph call takes a moment, and not always the same, as with the real one: the window in which
  // unserialized writes collide, and land in another order than they were sent.
  server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => setTimeout(() => handler(req, res), latency()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const user of ["alex", "priya"] as const) {
    tokens[user] = await new SignJWT({ aud: GRAPH_APP_ID, iss: ISSUER, tid: TID, oid: USERS[user].id, scp: ADMIN_SCOPES, wids: [...USERS[user].wids] })
      .setProtectedHeader({ alg: "RS256", kid: "k" })
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
  }
  const engine = engineOver(pool);
  alex = adminSession(ALEX, baseUrl, tokens.alex, engine);
  priya = adminSession(PRIYA, baseUrl, tokens.priya, engine);
  const published = (await readDelegatedScopesOf(alex.graph.client, GRAPH_APP_ID)).scopes.flatMap((s) => (s.value && s.isEnabled !== false ? [s.value] : []));
  scopes = [...new Set(published)].filter((s) => s.toLowerCase() !== BASE_SCOPE.toLowerCase()).sort();
  expect(scopes.length).toBeGreaterThanOrEqual(3 * ROUNDS);
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await pool?.end();
  await database?.stop();
});

/** Adds the app to the tenant with the base scope granted; returns its service principal id. */
async function prepareApp(appId: string, extra: string[] = []): Promise<string> {
  expectAllDone(await grantDelegated(alex, appId, [BASE_SCOPE, ...extra]));
  const sp = await findServicePrincipal(alex.graph.client, appId);
  if (!sp) throw new Error(`no service principal for ${appId}`);
  return sp.id;
}

/** The tenant-wide grant of the app on Microsoft Graph, read through Graph. */
async function grantedScopes(clientId: string): Promise<string[]> {
  return scopesOf((await findTenantWideGrant(alex.graph.client, clientId, GRAPH_SP_ID))?.scope);
}

function expectAllDone(steps: StepResult[]) {
  expect(steps.map((s) => `${s.status}: ${s.label} ${s.detail}`).filter((s) => !s.startsWith("done"))).toEqual([]);
}

/** The outcome row each step's result names, by its correlation id. */
function outcomeOf(rows: AuditRow[], steps: StepResult[]): AuditRow {
  const intents = steps.flatMap((s) => (s.intent ? [s.intent] : []));
  const found = rows.filter((r) => intents.includes(r.correlationId) && r.outcome !== "intended");
  expect(found).toHaveLength(1);
  return found[0]!;
}

const has = (held: string[], scope: string) => held.some((s) => s.toLowerCase() === scope.toLowerCase());

describe("two admins at once, one portal process", () => {
  it(`grant + grant on the same grant, ${ROUNDS} rounds: both scopes kept every round`, async () => {
    const clientId = await prepareApp(APPS.nylas);
    const granted: string[] = [BASE_SCOPE];
    const rounds: { alex: StepResult[]; priya: StepResult[]; a: string; b: string }[] = [];
    const lostChanges = new Set<string>();
    let lostRounds = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const [a, b] = [scopes[2 * round]!, scopes[2 * round + 1]!];
      const [byAlex, byPriya] = await Promise.all([grantDelegated(alex, APPS.nylas, [a]), grantDelegated(priya, APPS.nylas, [b])]);
      granted.push(a, b);
      rounds.push({ alex: byAlex, priya: byPriya, a, b });
      const held = await grantedScopes(clientId);
      const lost = granted.filter((s) => !has(held, s));
      for (const scope of lost) lostChanges.add(scope);
      if (lost.length > 0) lostRounds += 1;
    }
    console.info(`grant+grant: rounds=${ROUNDS} lost changes=${lostChanges.size} (rounds ending with a scope missing: ${lostRounds})`);
    expect([...lostChanges]).toEqual([]);

    const rows = await auditRows(pool, { actions: GRANT_ACTIONS, targetAppId: APPS.nylas });
    for (const round of rounds) {
      expectAllDone(round.alex);
      expectAllDone(round.priya);
      // Each admin's outcome row shows, as read back right after their write, the scope they added.
      expect(scopesOf((outcomeOf(rows, round.alex).after as { scope: string }).scope)).toContain(round.a);
      expect(scopesOf((outcomeOf(rows, round.priya).after as { scope: string }).scope)).toContain(round.b);
    }
    expect(historyProblems(rows, grantState)).toEqual([]);
    expect(grantState(lastAfter(rows))).toBe(grantState({ scope: (await grantedScopes(clientId)).join(" ") }));
  }, 120_000);

  it(`grant + revoke on the same grant, ${ROUNDS} rounds: the grant added and the revoke removed every round`, async () => {
    const toRevoke = scopes.slice(0, ROUNDS);
    const toGrant = scopes.slice(ROUNDS, 2 * ROUNDS);
    const clientId = await prepareApp(APPS.outreach, toRevoke);
    const lostChanges = new Set<string>();
    const steps: { alex: StepResult[]; priya: StepResult[]; a: string; b: string }[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const [a, b] = [toGrant[round]!, toRevoke[round]!];
      const [byAlex, byPriya] = await Promise.all([grantDelegated(alex, APPS.outreach, [a]), revokeDelegated(priya, APPS.outreach, [b])]);
      steps.push({ alex: byAlex, priya: byPriya, a, b });
      const held = await grantedScopes(clientId);
      for (const scope of toGrant.slice(0, round + 1).filter((s) => !has(held, s))) lostChanges.add(`grant of ${scope}`);
      for (const scope of toRevoke.slice(0, round + 1).filter((s) => has(held, s))) lostChanges.add(`revoke of ${scope}`);
      for (const scope of [BASE_SCOPE, ...toRevoke.slice(round + 1)].filter((s) => !has(held, s))) lostChanges.add(`${scope}, never revoked`);
    }
    console.info(`grant+revoke: rounds=${ROUNDS} lost changes=${lostChanges.size}`);
    expect([...lostChanges]).toEqual([]);

    const rows = await auditRows(pool, { actions: GRANT_ACTIONS, targetAppId: APPS.outreach });
    for (const round of steps) {
      expectAllDone(round.alex);
      expectAllDone(round.priya);
      expect(scopesOf((outcomeOf(rows, round.alex).after as { scope: string }).scope)).toContain(round.a);
      expect(scopesOf((outcomeOf(rows, round.priya).after as { scope: string }).scope)).not.toContain(round.b);
    }
    expect(historyProblems(rows, grantState)).toEqual([]);
    expect(grantState(lastAfter(rows))).toBe(grantState({ scope: (await grantedScopes(clientId)).join(" ") }));
  }, 120_000);

  it(`two edits of the authorization policy at once, ${ROUNDS} rounds: user consent and resource-specific consent both hold`, async () => {
    let lostChanges = 0;
    const steps: StepResult[][] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const choice = CHOICES[round % CHOICES.length]!;
      const chatOn = round % 2 === 1; // the fixture has it on: off, on, off, …
      const results = await Promise.all([setUserConsent(alex, choice).then((steps) => steps[0]!), runPolicyStep(priya, ownedResourceStep(priya.graph, CHAT_POLICY, chatOn))]);
      steps.push(results);
      const assigned = await readUserConsentPolicies(alex.graph.client);
      const self = assigned.filter((e) => e.startsWith(SELF_PREFIX));
      if (JSON.stringify(self) !== JSON.stringify(choice === "none" ? [] : [`${SELF_PREFIX}microsoft-user-default-${choice}`])) lostChanges += 1;
      if (assigned.includes(`ManagePermissionGrantsForOwnedResource.${CHAT_POLICY}`) !== chatOn) lostChanges += 1;
      if (!assigned.includes(TEAM_ENTRY)) lostChanges += 1;
    }
    console.info(`policy+policy: rounds=${ROUNDS} lost changes=${lostChanges}`);
    expect(lostChanges).toBe(0);

    for (const results of steps) expectAllDone(results);
    const rows = await auditRows(pool, { actions: POLICY_ACTIONS, targetId: "authorizationPolicy" });
    expect(rows).toHaveLength(4 * ROUNDS);
    expect(historyProblems(rows, policyState)).toEqual([]);
    expect(policyState(lastAfter(rows))).toBe(policyState({ permissionGrantPoliciesAssigned: await readUserConsentPolicies(alex.graph.client) }));
  }, 120_000);
});

type WorkerResult = { operation: Operation; steps: StepResult[] }[];

/** Starts a worker process for `admin`; resolves its results once both workers were started together. */
function startWorker(admin: Admin, token: string, operations: Operation[]) {
  const tsx = path.join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs");
  const script = path.join(import.meta.dirname, "testing", "admin-worker.ts");
  const job = { databaseUrl: database.url, baseUrl, token, admin, operations };
  // NODE_EXTRA_CA_CERTS (the simulator's certificate) is inherited from vitest.global-setup.ts.
  const child = spawn(process.execPath, [tsx, "--conditions=react-server", script], {
    cwd: process.cwd(),
    env: { ...process.env, ADMIN_WORKER_JOB: JSON.stringify(job) },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    lines.on("line", (line) => (line === "ready" ? resolve() : (output = line)));
    child.once("exit", (code) => reject(new Error(`${admin.name}'s worker exited (${code}) before it was ready: ${stderr}`)));
  });
  const done = new Promise<WorkerResult>((resolve, reject) => {
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(output) as WorkerResult) : reject(new Error(`${admin.name}'s worker failed (${code}): ${stderr}`))));
  });
  ready.catch(() => undefined);
  return { ready, done, go: () => child.stdin.end("go\n") };
}

describe("two admins at once, two portal processes", () => {
  // PGlite serves one connection at a time: a second process cannot share it.
  it.skipIf(!ON_POSTGRES)(
    `grant + grant, grant + revoke and two policy edits from two processes against one PostgreSQL, ${ROUNDS} rounds each`,
    async () => {
      const appId = APPS.litware;
      const byAlex = scopes.slice(0, ROUNDS);
      const byPriya = scopes.slice(ROUNDS, 2 * ROUNDS);
      const toRevoke = scopes.slice(2 * ROUNDS, 3 * ROUNDS);
      const clientId = await prepareApp(appId, toRevoke);
      const policyBefore = await readUserConsentPolicies(alex.graph.client);
      const alexOps: Operation[] = byAlex.flatMap((scope, round) => [
        { kind: "grant", appId, scope },
        { kind: "userConsent", choice: CHOICES[round % CHOICES.length]! },
      ]);
      const priyaOps: Operation[] = byPriya.flatMap((scope, round) => [
        { kind: "grant", appId, scope },
        { kind: "revoke", appId, scope: toRevoke[round]! },
        { kind: "ownedResource", policyId: CHAT_POLICY, on: round % 2 === 1 },
      ]);
      const workers = [startWorker(ALEX, tokens.alex, alexOps), startWorker(PRIYA, tokens.priya, priyaOps)];
      await Promise.all(workers.map((w) => w.ready));
      for (const w of workers) w.go();
      const [alexResults, priyaResults] = await Promise.all(workers.map((w) => w.done));

      const held = await grantedScopes(clientId);
      const assigned = await readUserConsentPolicies(alex.graph.client);
      const lost = [
        ...[BASE_SCOPE, ...byAlex, ...byPriya].filter((s) => !has(held, s)),
        ...toRevoke.filter((s) => has(held, s)),
        ...(assigned.filter((e) => e.startsWith(SELF_PREFIX)).join() === `${SELF_PREFIX}microsoft-user-default-${CHOICES[(ROUNDS - 1) % CHOICES.length]}` ? [] : ["user consent"]),
        ...(assigned.includes(`ManagePermissionGrantsForOwnedResource.${CHAT_POLICY}`) === ((ROUNDS - 1) % 2 === 1) ? [] : ["chat consent"]),
        ...(assigned.includes(TEAM_ENTRY) === policyBefore.includes(TEAM_ENTRY) ? [] : ["team consent"]),
      ];
      console.info(`two processes: rounds=${ROUNDS} operations=${alexOps.length + priyaOps.length} lost changes=${lost.length}`);
      expect(lost).toEqual([]);

      const grantRows = await auditRows(pool, { actions: GRANT_ACTIONS, targetAppId: appId });
      const policyRows = await auditRows(pool, { actions: POLICY_ACTIONS, targetId: "authorizationPolicy" });
      for (const { operation, steps } of [...alexResults!, ...priyaResults!]) {
        expectAllDone(steps);
        if (operation.kind === "grant") expect(scopesOf((outcomeOf(grantRows, steps).after as { scope: string }).scope)).toContain(operation.scope);
        if (operation.kind === "revoke") expect(scopesOf((outcomeOf(grantRows, steps).after as { scope: string }).scope)).not.toContain(operation.scope);
        if (operation.kind === "userConsent" || operation.kind === "ownedResource") expect(outcomeOf(policyRows, steps).outcome).toBe("succeeded");
      }
      expect(historyProblems(grantRows, grantState)).toEqual([]);
      expect(historyProblems(policyRows, policyState)).toEqual([]);
      expect(grantState(lastAfter(grantRows))).toBe(grantState({ scope: held.join(" ") }));
      expect(policyState(lastAfter(policyRows))).toBe(policyState({ permissionGrantPoliciesAssigned: assigned }));
    },
    180_000,
  );
});
