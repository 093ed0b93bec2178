import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, request, type APIRequestContext, type APIResponse, type Browser, type BrowserContext } from "@playwright/test";
import { TEST_PORTS } from "../playwright.config";
import { signInAs, withTestDatabase, type SeededAccount } from "./helpers";
import { GRAPH } from "./simulator";

/**
 * Server actions called the way a browser calls them, for the specs that post to every action of the
 * production build (the role matrix, the input fuzzing): the build's action ids, signed-in sessions,
 * the request itself, and what "nothing changed" means in the portal's database and in the tenant.
 */

export const PORTAL = `http://localhost:${TEST_PORTS.portal}`;

/** A form: fields by name (a list for a repeated field), or [name, value] pairs in order (any name, even `__proto__`). */
export type ActionInput = Record<string, string | string[]> | ReadonlyArray<readonly [string, string]>;

/** One server action of the build: its id, `<file>#<export>`, and a page that loads it (where the browser posts). */
export type ManifestAction = { id: string; key: string; pagePath: string };

type ManifestEntry = { filename: string; exportedName: string; workers: Record<string, unknown> };

/**
 * Every server action of the running portal's production build, from its server-reference manifest.
 * `params` fills the dynamic segments of the page paths ("[appId]" → an app id).
 */
export function buildActions(params: Record<string, string>): ManifestAction[] {
  const file = path.join(process.env.NEXT_DIST_DIR || ".next", "server", "server-reference-manifest.json");
  expect(existsSync(file), `${file} (the running portal's production build)`).toBe(true);
  const manifest = JSON.parse(readFileSync(file, "utf8")) as { node: Record<string, ManifestEntry>; edge?: Record<string, ManifestEntry> };
  return Object.entries({ ...manifest.node, ...manifest.edge }).map(([id, entry]) => {
    const worker = Object.keys(entry.workers)[0] ?? "app/page";
    // "app/(admin)/admin/apps/[appId]/(catalog)/grant/page" → "/admin/apps/<app>/grant": a page that loads the action.
    const pagePath = `/${worker
      .split("/")
      .slice(1, -1)
      .filter((segment) => !/^\(.*\)$/.test(segment))
      .map((segment) => params[segment] ?? segment)
      .join("/")}`;
    return { id, key: `${entry.filename}#${entry.exportedName}`, pagePath };
  });
}

export type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

/** Signs each account in once through the real sign-in (the simulated tenant's pages), keyed by account id. */
export async function signedInSessions(browser: Browser, accounts: readonly SeededAccount[]): Promise<Map<string, StorageState>> {
  const sessions = new Map<string, StorageState>();
  for (const who of accounts) {
    const context = await browser.newContext({ baseURL: PORTAL, ignoreHTTPSErrors: true });
    await signInAs(await context.newPage(), who);
    sessions.set(who.id, await context.storageState());
    await context.close();
  }
  return sessions;
}

/** A client for the portal with `storageState`'s session (none when undefined), posting from the portal's own origin as its pages do. */
export async function portalApi(storageState?: StorageState): Promise<APIRequestContext> {
  return request.newContext({ baseURL: PORTAL, storageState, extraHTTPHeaders: { origin: PORTAL } });
}

function fields(input: ActionInput): (readonly [string, string])[] {
  return Array.isArray(input) ? [...input] : Object.entries(input).flatMap(([name, value]) => [value].flat().map((one) => [name, one] as const));
}

export type EncodedBody = { body: Buffer; contentType: string };

/**
 * A server action's request body as the browser sends it (Next 16, React's encodeReply): the arguments
 * as field "0", the FormData's fields under "_1_". The arguments are the previous state and the form
 * for actions behind useActionState, the form alone for a plain `<form action>` (`formOnly`). Encoded
 * here, as multipart/form-data, so the caller knows its exact size.
 */
export async function actionBody(input: ActionInput | null, { formOnly = false } = {}): Promise<EncodedBody> {
  const form = new FormData();
  if (input === null) form.set("0", "[null]");
  else {
    for (const [name, value] of fields(input)) form.append(`_1_${name}`, value);
    form.set("0", formOnly ? '["$K1"]' : '[null,"$K1"]');
  }
  const encoded = new Request(PORTAL, { method: "POST", body: form });
  return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get("content-type") ?? "" };
}

/** Posts `input` to `action` as a fetch from its page would (redirects are not followed, so they can be checked). */
export async function postAction(api: APIRequestContext, action: ManifestAction, input: ActionInput | null): Promise<APIResponse> {
  return postEncoded(api, action, await actionBody(input));
}

/** Posts a body made by actionBody() (whose size the caller knew) to `action`. */
export async function postEncoded(api: APIRequestContext, action: ManifestAction, { body, contentType }: EncodedBody): Promise<APIResponse> {
  return api.post(action.pagePath, {
    headers: { "next-action": action.id, accept: "text/x-component", "content-type": contentType },
    data: body,
    maxRedirects: 0,
  });
}

/** Where the response sends the browser (a server action's redirect, without its ";push", or a plain one), or "". */
export function redirectOf(response: APIResponse): string {
  const headers = response.headers();
  return (headers["x-action-redirect"] ?? headers.location ?? "").replace(/;(push|replace)$/, "");
}

/** What the portal has stored that an action could change: the audit trail's head, the catalog, the approval requests. */
export async function databaseState(): Promise<unknown> {
  return withTestDatabase(async (client) => {
    const audit = await client.query(`SELECT count(*)::int AS events, coalesce(max(seq), 0)::text AS "lastSeq", count(*) FILTER (WHERE outcome = 'succeeded')::int AS succeeded FROM "AuditEvent"`);
    const catalog = await client.query(`SELECT count(*)::int AS apps FROM "CatalogApp"`);
    const requests = await client.query(`SELECT id, status, "decidedAt" FROM "ConsentRequest" ORDER BY id`);
    return { audit: audit.rows[0], catalog: catalog.rows[0], requests: requests.rows };
  });
}

export function simControlSecret(): string {
  return readFileSync(path.join(process.env.TEST_DATA_DIR ?? ".data/test", "sim-control-secret"), "utf8").trim();
}

/** How many Graph calls the simulated tenant has answered, reads and writes apart (each $batch part counts). */
export async function graphRequestCounts(): Promise<{ reads: number; writes: number }> {
  const api = await request.newContext({ ignoreHTTPSErrors: true });
  const reply = await api.get(`${GRAPH}/_sim/requests`, { headers: { "x-sim-control": simControlSecret() } });
  expect(reply.status(), await reply.text()).toBe(200);
  const counts = (await reply.json()) as { reads: number; writes: number };
  await api.dispose();
  return counts;
}
