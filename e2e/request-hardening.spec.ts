import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, request, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { TEST_PORTS } from "../playwright.config";
import { account, queryTestDatabase, signInAs } from "./helpers";
import { GRAPH, resetSimulator } from "./simulator";

// S3, S21 and S23 against the production build, through the portal's own server (scripts/portal-server.mjs):
// a server action posted with a valid admin session but without the portal's Origin is refused before
// anything is read, written or sent to Graph; the audit trail's client IP is the socket's peer whatever
// the client claims; and a form too large to accept gets a plain answer instead of a bare 500.

const PORTAL = `http://localhost:${TEST_PORTS.portal}`;
const NYLAS = "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94";
const GRAPH_API = "00000003-0000-0000-c000-000000000000";
const GRANT_PAGE = `/admin/apps/${NYLAS}/grant`;
const GRANT_INPUT = { appId: NYLAS, d: `${GRAPH_API}|User.Read`, justification: "Request hardening check: the pilot team needs sign-in" };
/** The refusal's words (lib/http/same-origin.ts, not importable here: it is server-only). */
const CROSS_ORIGIN = "did not come from the portal's own pages";
/** The oversized form's words (lib/http/limits.ts). */
const TOO_LARGE = "The form was too large to send (more than 512 KB). Nothing was changed. Shorten what you typed or pasted, then try again.";
const SPOOFED_IP = '=HYPERLINK("http://evil.example"';

let adminSession: Awaited<ReturnType<import("@playwright/test").BrowserContext["storageState"]>>;

/** The build's id for the grant action: React posts it in the Next-Action header. */
function grantActionId(): string {
  const file = path.join(process.env.NEXT_DIST_DIR || ".next", "server", "server-reference-manifest.json");
  expect(existsSync(file), `${file} (the running portal's production build)`).toBe(true);
  const manifest = JSON.parse(readFileSync(file, "utf8")) as { node: Record<string, { filename: string; exportedName: string }> };
  const entry = Object.entries(manifest.node).find(([, action]) => action.filename.endsWith("grant/actions.ts") && action.exportedName === "grantConsentAction");
  expect(entry, "grantConsentAction is in the build").toBeDefined();
  return entry![0];
}

/** A server action as the browser posts it (React's encodeReply): the FormData's fields under "_1_", the arguments in "0". */
function actionBody(input: Record<string, string>): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(input)) body.append(`_1_${name}`, value);
  body.set("0", '[null,"$K1"]');
  return body;
}

async function postGrant(api: APIRequestContext, headers: Record<string, string>, input: Record<string, string> = GRANT_INPUT): Promise<APIResponse> {
  return api.post(GRANT_PAGE, { headers: { "next-action": grantActionId(), accept: "text/x-component", ...headers }, multipart: actionBody(input), maxRedirects: 0 });
}

async function lastAuditSeq(): Promise<string> {
  return (await queryTestDatabase<{ seq: string }>(`SELECT coalesce(max(seq), 0)::text AS seq FROM "AuditEvent"`))[0]!.seq;
}

/** Graph requests the simulator has answered so far (it counts every one, refused writes included). */
async function graphRequests(): Promise<{ reads: number; writes: number }> {
  const api = await request.newContext({ ignoreHTTPSErrors: true });
  const secret = readFileSync(path.join(process.env.TEST_DATA_DIR ?? ".data/test", "sim-control-secret"), "utf8").trim();
  const reply = await api.get(`${GRAPH}/_sim/requests`, { headers: { "x-sim-control": secret } });
  expect(reply.ok()).toBe(true);
  const counts = (await reply.json()) as { reads: number; writes: number };
  await api.dispose();
  return counts;
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(60_000);
  const context = await browser.newContext({ baseURL: PORTAL, ignoreHTTPSErrors: true });
  await signInAs(await context.newPage(), account("Global Administrator"));
  adminSession = await context.storageState();
  await context.close();
});

test.afterAll(async () => {
  await resetSimulator();
});

test("a grant posted with a valid admin session but no, null or another site's Origin is refused; nothing is written or sent to Graph", async () => {
  await resetSimulator();
  const api = await request.newContext({ baseURL: PORTAL, storageState: adminSession });
  const auditBefore = await lastAuditSeq();
  const graphBefore = await graphRequests();
  // A post without Origin reaches the action (Next only logs a warning), whose own check answers it in
  // the form; `null` and another site's Origin proxy.ts refuses with 403 before Next reads the post.
  for (const [label, headers, refusedBy] of [
    ["no Origin", {}, "action"],
    ["Origin: null", { origin: "null" }, "proxy"],
    ["Origin: https://evil.example", { origin: "https://evil.example" }, "proxy"],
  ] as const) {
    const response = await postGrant(api, headers);
    const text = await response.text();
    expect(response.status(), `${label}: ${text.slice(0, 300)}`).toBe(refusedBy === "action" ? 200 : 403);
    expect(text, label).toContain(refusedBy === "action" ? `"ok":false,"message":"This change was refused because it ${CROSS_ORIGIN}` : `This change was refused because it ${CROSS_ORIGIN}`);
    expect(text, label).not.toContain('"ok":true');
  }
  expect(await lastAuditSeq()).toBe(auditBefore);
  expect(await graphRequests()).toEqual(graphBefore);

  // The same post from the portal's own origin goes through: the refusals above were the Origin check.
  // It also claims another client address twice over; the audit rows keep the socket's peer instead (S21).
  const response = await postGrant(api, { origin: PORTAL, "x-forwarded-for": `${SPOOFED_IP}, 203.0.113.9`, "x-portal-client-ip": "203.0.113.66" });
  const text = await response.text();
  expect(response.status(), text.slice(0, 300)).toBe(200);
  expect(text).toContain('"ok":true');
  expect((await graphRequests()).writes).toBeGreaterThan(graphBefore.writes);
  const rows = await queryTestDatabase<{ clientIp: string | null; action: string }>(`SELECT "clientIp", action FROM "AuditEvent" WHERE seq > $1 ORDER BY seq`, [auditBefore]);
  expect(rows.length).toBeGreaterThanOrEqual(2);
  for (const row of rows) expect(["127.0.0.1", "::1"], `${row.action}: ${row.clientIp}`).toContain(row.clientIp);
  await api.dispose();
});

test("a 1 MB form gets a plain 413 answer before Next reads it, and nothing is written", async () => {
  const api = await request.newContext({ baseURL: PORTAL, storageState: adminSession });
  const auditBefore = await lastAuditSeq();
  const response = await postGrant(api, { origin: PORTAL }, { ...GRANT_INPUT, justification: "x".repeat(1024 * 1024) });
  expect(response.status()).toBe(413);
  // Exactly text/plain: Next's client shows such a body as the error's message.
  expect(response.headers()["content-type"]).toBe("text/plain");
  expect(await response.text()).toBe(TOO_LARGE);
  expect(await lastAuditSeq()).toBe(auditBefore);
  await api.dispose();
});

test("in the browser, an oversized form shows the plain message, and hidden formatting characters get a field error", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  await page.goto("/admin/apps");
  const auditBefore = await lastAuditSeq();

  // Invisible direction characters in an app name: refused with a field error (S9).
  await page.getByLabel("App ID, or its consent or sign-in URL").fill("d3c2b1a0-1111-4222-8333-944455556666");
  await page.getByLabel(/^Name/).fill("Contoso \u202Eppa live\u202C CRM");
  await page.getByRole("button", { name: "Add to the catalog" }).click();
  await expect(page.getByText("Remove the invisible formatting characters")).toBeVisible();
  expect(await lastAuditSeq()).toBe(auditBefore);

  // A megabyte pasted into the form: the person is told what happened, not "Something went wrong".
  await page.getByLabel("App ID, or its consent or sign-in URL").evaluate((area, size) => {
    (area as HTMLTextAreaElement).value = "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94 ".repeat(Math.ceil(size / 37));
  }, 1024 * 1024);
  await page.getByRole("button", { name: "Add to the catalog" }).click();
  await expect(page.getByRole("heading", { name: "The form was too large" })).toBeVisible();
  await expect(page.getByText(TOO_LARGE)).toBeVisible();
  expect(await lastAuditSeq()).toBe(auditBefore);
});
