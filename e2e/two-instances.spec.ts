import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { expect, test, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import catalog from "../lib/catalog/starting-catalog.json";
import tenant from "../sim/fixtures/tenant.json";
import { ensureCertificate } from "../sim/local-secrets";
import { simulatedTenantEnv } from "../sim/portal-env";
import { TEST_PORTS } from "../playwright.config";
import { account, signInAs } from "./helpers";
import { clearFaults, GRAPH, graphGet, graphToken, LOGIN, resetSimulator, sentMail, setFaults } from "./simulator";

// Running as a service (several instances, one database): two more portal processes beside the test
// stack's, on its PostgreSQL database and its simulated tenant. Each background job runs once per period
// across them, no mail goes out twice, a request made on one and the grant made on the other land in one
// valid audit chain, the logs are JSON with request ids and the Graph request-ids of their calls and hold
// no token, and a change in flight when SIGTERM comes still finishes with its audit outcome.
// PostgreSQL only: the embedded PGlite is one session, which two processes cannot share.

test.skip(!process.env.DATABASE_URL, "two portal processes on one database need PostgreSQL (DATABASE_URL); the embedded PGlite is one session");
test.describe.configure({ mode: "serial" });
test.setTimeout(120_000);

const DATA_DIR = path.resolve(process.env.TEST_DATA_DIR ?? ".data/test");
const JOB_PERIOD_SECONDS = 2;
const JOBS = ["drift-import", "notifications", "reconcile-outcomes"];
const appId = (name: string) => catalog.apps.find((app) => app.displayName === name)!.appId;
const NYLAS = appId("Nylas");
// Riley and Jordan already asked for Nylas in Entra (the tenant's fixtures) and make most of the other
// specs' requests (five an hour each at most): Sam, a reviewer, may ask too.
const sam = account("Security Reader");
const alex = account("Global Administrator");

type Instance = { name: string; url: string; child: ChildProcess; lines: string[]; exited: Promise<number | null> };
type LogLine = Record<string, unknown> & { msg?: string; requestId?: string };

/** A port nothing listens on now, chosen by the OS. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A portal process as scripts/lib/stack.ts starts one, with its own port and public URL, on the test stack's database and tenant. */
async function startInstance(name: string): Promise<Instance> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const tls = await ensureCertificate(DATA_DIR);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL,
    AUTH_SECRET: process.env.AUTH_SECRET || readFileSync(path.join(DATA_DIR, "auth-secret"), "utf8").trim(),
    AUTH_URL: url,
    ...simulatedTenantEnv({ login: LOGIN, graph: GRAPH }),
    NODE_EXTRA_CA_CERTS: tls.certPath,
    SMTP_URL: `smtp://127.0.0.1:${TEST_PORTS.smtp}`,
    MAIL_FROM: `Admin Consent Portal <consent-portal@${tenant.defaultDomain}>`,
    DRIFT_IMPORT_MINUTES: "1",
    JOB_PERIOD_SECONDS: String(JOB_PERIOD_SECONDS),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const child = spawn(process.execPath, [path.join("scripts", "portal-server.mjs"), String(port)], { env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on("line", (line) => lines.push(line));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await expect
    .poll(async () => (child.exitCode === null ? (await fetch(`${url}/api/health`).catch(() => null))?.status : `exited ${child.exitCode}: ${lines.join("\n")}`), { timeout: 60_000 })
    .toBe(200);
  return { name, url, child, lines, exited };
}

/** The instance's log, every line parsed as JSON (a line that is not fails the test, naming it). */
function parsed(instance: Instance): LogLine[] {
  return instance.lines.map((line) => {
    try {
      return JSON.parse(line) as LogLine;
    } catch {
      throw new Error(`instance ${instance.name} wrote a log line that is not JSON: ${line.slice(0, 300)}`);
    }
  });
}
const instanceId = (instance: Instance) => `:${instance.child.pid}`;

let a: Instance;
let b: Instance;
let db: pg.Pool;

test.beforeAll(async () => {
  db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  [a, b] = await Promise.all([startInstance("a"), startInstance("b")]);
});

test.afterAll(async () => {
  for (const instance of [a, b]) {
    if (instance && instance.child.exitCode === null) {
      instance.child.kill("SIGTERM");
      await instance.exited;
    }
  }
  await clearFaults();
  await db?.end();
});

/** The session is a cookie on localhost, which every port shares: signing in once, at the test stack's portal (the tenant's registered redirect), serves all instances. */
async function signedIn(browser: Browser, who: typeof alex): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await signInAs(page, who);
  return page;
}

type JobRun = { job: string; period: string; instance: string; outcome: string | null };
async function jobRuns(): Promise<JobRun[]> {
  const { rows } = await db.query<JobRun>(`SELECT "job", "period"::text, "instance", "outcome" FROM "JobRun" WHERE "job" = ANY($1) ORDER BY "job", "period"`, [JOBS]);
  return rows.filter((row) => [a, b].some((instance) => row.instance.endsWith(instanceId(instance))));
}

test("each background job runs once per period across the two instances", async () => {
  // Both instances' timers fire in every period; wait until each job has run in several periods.
  const periodsRun = async () => {
    const runs = await jobRuns();
    return Math.min(...JOBS.map((job) => new Set(runs.filter((run) => run.job === job && run.outcome === "succeeded").map((run) => run.period)).size));
  };
  await expect.poll(periodsRun, { timeout: 60_000 }).toBeGreaterThanOrEqual(4);
  // What ran, as each process logged it: no (job, period) ran in both, and each run is the claim recorded in JobRun.
  const ran = [a, b].flatMap((instance) => parsed(instance).filter((line) => line.msg === "job ran" && JOBS.includes(String(line.job))).map((line) => `${String(line.job)}#${String(line.period)}`));
  expect(ran.filter((key, index) => ran.indexOf(key) !== index)).toEqual([]);
  const claimed = new Set((await jobRuns()).map((run) => `${run.job}#${run.period}`));
  expect(ran.filter((key) => !claimed.has(key))).toEqual([]);
  expect(ran.length).toBeGreaterThanOrEqual(3 * 4);
});

type AuditRow = { seq: string; action: string; outcome: string; correlationId: string; graphRequestIds: string[] | null; targetAppId: string | null };

async function auditRows(appIdOf: string, since: string): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>(
    `SELECT seq::text, action, outcome, "correlationId"::text AS "correlationId", "graphRequestIds", "targetAppId" FROM "AuditEvent" WHERE seq > $1::bigint AND lower("targetAppId") = lower($2) ORDER BY seq`,
    [since, appIdOf],
  );
  return rows;
}

const lastSeq = async () => (await db.query<{ seq: string }>(`SELECT coalesce(max(seq), 0)::text AS seq FROM "AuditEvent"`)).rows[0]!.seq;

/** The app's tenant-wide delegated grants, read through Microsoft Graph. */
async function tenantWideGrants(app: string): Promise<{ consentType: string; scope: string }[]> {
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const sps = await graphGet<{ value: { id: string }[] }>(token, `/servicePrincipals?$filter=appId eq '${app}'`);
  const sp = sps.value[0];
  if (!sp) return [];
  const grants = await graphGet<{ value: { consentType: string; scope: string }[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`);
  return grants.value.filter((grant) => grant.consentType === "AllPrincipals");
}

async function previewGrant(page: Page, base: string, app: string) {
  await page.goto(`${base}/admin/apps/${app}/grant`);
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("grant-preview")).toBeVisible();
  await page.getByLabel("Justification").fill(`Approved for the sales team, ticket IT-${app.slice(0, 4)}`);
}

test("a request made on one instance and the grant made on the other land in one valid chain; its mail goes out once; logs are JSON with request ids and no token", async ({ browser }) => {
  await resetSimulator();
  await clearFaults();
  const since = await lastSeq();

  // Sam asks on instance A.
  const user = await signedIn(browser, sam);
  await user.goto(`${a.url}/my-apps/apps/${NYLAS}`);
  await user.getByLabel(/Why do you need Nylas/).fill("CRM mail sync, ticket IT-7001");
  await user.getByRole("button", { name: "Request approval" }).click();
  await expect(user.getByTestId("request-result")).toContainText("Your request for Nylas was sent to the admins.");
  await user.getByRole("link", { name: "Follow its status" }).click();
  await expect(user).toHaveURL(new RegExp(`^${a.url}/my-apps/requests/`));
  const requestId = user.url().split("/").pop()!;

  // Alex grants it on instance B.
  const admin = await signedIn(browser, alex);
  await previewGrant(admin, b.url, NYLAS);
  await admin.getByRole("button", { name: /^Grant \d+ permissions? to all users/ }).click();
  await expect(admin.getByTestId("result-message")).toHaveText("Consent granted for Nylas.");
  expect(await tenantWideGrants(NYLAS)).toHaveLength(1);

  // One chain, verified end to end, holding both: the request (A) and the grant's intent and outcome (B).
  const verify = spawnSync(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), path.join("scripts", "audit-verify.ts")], { env: process.env, encoding: "utf8" });
  expect(verify.status).toBe(0);
  expect(verify.stdout).toMatch(/^OK \d+ events/);
  const rows = await auditRows(NYLAS, since);
  expect(rows.map((row) => `${row.action}:${row.outcome}`)).toEqual(expect.arrayContaining(["consentRequest.create:succeeded", "grant.delegated.allPrincipals:intended", "grant.delegated.allPrincipals:succeeded"]));
  const outcome = rows.find((row) => row.action === "grant.delegated.allPrincipals" && row.outcome === "succeeded")!;
  expect(outcome.graphRequestIds?.length).toBeGreaterThan(0);

  // Which process did what, by the logs: the grant's Graph request-ids were logged by B, inside one request
  // of B's (a POST, the server action); the request's POST was A's.
  const bLines = parsed(b);
  const grantCalls = bLines.filter((line) => line.msg === "graph call" && outcome.graphRequestIds!.includes(String((line.graph as { requestId?: string }).requestId)));
  expect(grantCalls.length).toBe(outcome.graphRequestIds!.length);
  const grantRequest = new Set(grantCalls.map((line) => line.requestId));
  expect(grantRequest.size).toBe(1);
  expect(bLines.find((line) => line.msg === "request" && line.requestId === [...grantRequest][0])).toMatchObject({ method: "POST", status: 200 });
  expect(parsed(a).some((line) => line.msg === "request" && line.method === "POST" && String(line.path).startsWith(`/my-apps/apps/${NYLAS}`))).toBe(true);

  // The reviewers' mail about the request: sent once, though both instances' outbox jobs kept running.
  const review = (mail: { text: string }) => mail.text.includes(`${a.url}/admin/requests#request-${requestId}`);
  await expect.poll(async () => (await sentMail()).filter(review).length, { timeout: 15_000 }).toBe(1);
  const afterMail = (await jobRuns()).filter((run) => run.job === "notifications").length;
  await expect.poll(async () => (await jobRuns()).filter((run) => run.job === "notifications").length, { timeout: 30_000 }).toBeGreaterThanOrEqual(afterMail + 3);
  expect((await sentMail()).filter(review)).toHaveLength(1);

  // Logs: every line JSON; every request line carries its id; no token, no secret in either process's log.
  for (const instance of [a, b]) {
    const lines = parsed(instance);
    expect(lines.filter((line) => line.msg === "request" && !line.requestId)).toEqual([]);
    const text = instance.lines.join("\n");
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]+\./);
    expect(text).not.toMatch(/Bearer\s+(?!\[redacted\])\S/i);
    for (const secret of [tenant.portalClient.clientSecret, readFileSync(path.join(DATA_DIR, "auth-secret"), "utf8").trim()]) expect(text).not.toContain(secret);
  }
  await user.context().close();
  await admin.context().close();
});

test("SIGTERM while a grant is in flight: the instance stops taking connections, finishes the change and its audit outcome, then exits 0", async ({ browser }) => {
  await resetSimulator();
  await clearFaults();
  const since = await lastSeq();
  const admin = await signedIn(browser, alex);
  await previewGrant(admin, b.url, NYLAS);
  // Every Graph call now takes a while: the change is still going when the signal comes.
  await setFaults({ latencyMs: 700 });
  const result = admin.getByTestId("result-message");
  await admin.getByRole("button", { name: /^Grant \d+ permissions? to all users/ }).click();
  /** Intents written so far whose outcome is not: the changes in flight. */
  const inFlight = async () => {
    const rows = await auditRows(NYLAS, since);
    return rows.filter((row) => row.outcome === "intended" && !rows.some((other) => other.correlationId === row.correlationId && other.outcome !== "intended"));
  };
  let pending: AuditRow[] = [];
  await expect.poll(async () => (pending = await inFlight()).length, { timeout: 30_000 }).toBeGreaterThan(0);
  b.child.kill("SIGTERM");
  // No new connections once the signal is handled.
  await expect.poll(async () => (await fetch(`${b.url}/api/health`).then(() => "answered", () => "refused")), { timeout: 10_000 }).toBe("refused");
  await expect(result).toHaveText("Consent granted for Nylas.", { timeout: 60_000 });
  expect(await b.exited).toBe(0);
  await clearFaults();

  // Every change in flight at the signal has its outcome; the tenant holds the grant.
  const rows = await auditRows(NYLAS, since);
  for (const intent of pending) expect(rows.filter((row) => row.correlationId === intent.correlationId && row.outcome === "succeeded")).toHaveLength(1);
  expect(await tenantWideGrants(NYLAS)).toHaveLength(1);
  expect(parsed(b).map((line) => line.msg)).toContain("shut down cleanly");
  await admin.context().close();
});
