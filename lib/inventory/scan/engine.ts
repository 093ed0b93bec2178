import { randomUUID } from "node:crypto";
import { GraphError } from "@microsoft/microsoft-graph-client";
import type { AuditSql } from "@/lib/audit/sql";
import type { GraphSession } from "@/lib/graph/client";
import {
  assignedToFirstPage, batchPartError, INVENTORY_FIRST_PAGES, isExpiredPageToken, isSignInReportRefused, readAssignedToFirstPages, readAssignedToPage, readGrantPage,
  readServicePrincipalPage, readSignInActivityPage, servicePrincipalsByIds, SIGN_IN_ACTIVITIES_FIRST_PAGE, type InventoryPage,
} from "@/lib/graph/inventory";
import { sleep } from "@/lib/graph/middleware";
import { RETRYABLE_STATUSES, retryAfterMs } from "@/lib/graph/retry-policy";
import { checkScanDrift } from "@/lib/baseline/drift-check";
import { analyseScan, pruneOldScans, type ScanSummary } from "./analysis";
import { AdaptiveLimiter } from "./limiter";
import {
  claimScan, createScan, failScan, LeaseLostError, releaseScan, renewLease, resourcesWithAppRoles, restartCollection, ScanAlreadyRunningError, setPhase,
  advanceCursor, countSignIns, insertPageRows, signInsUnavailable, storePage, storeServicePrincipals, unlistedServicePrincipals, type Collection, type ScanCursor,
} from "./store";

/**
 * The inventory scan (docs/inventory.md "How the scan works"): three page chains read side by side —
 * service principals, every delegated grant of the tenant, and the application permissions on each API
 * that defines app roles — each page stored with its cursor as it arrives, then the service principals a
 * grant names but the listing missed (getByIds), then the analysis. Stop it anywhere (a fault, a
 * restart) and it continues from the last page stored.
 */

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_LEASE_MS = 60_000;
export const DEFAULT_UNUSED_AFTER_DAYS = 90;
/** Tries of one failing page before the scan stops for now (resumable), beyond the Graph client's own retries. */
export const DEFAULT_PAGE_RETRY = { attempts: 6, baseDelayMs: 1_000 };
/** Expired page tokens one collection may meet before the scan gives up for now. */
const MAX_RESTARTS = 5;
/** Pages of one collection being stored at once while its next pages are read. */
const PAGES_AHEAD = 4;
/** Resumes after which a scan that keeps stopping is marked failed instead of taken up again. */
export const MAX_RESUMES = 20;
const BATCH_PARTS = 20;

export type ScanProgressEvent = { phase: string; pages: number; items: number; requests: number; throttled: number };

export type ScanOptions = {
  graph: GraphSession;
  sql: AuditSql;
  tenantId: string;
  /** Graph reads in flight at most (halved on 429, grown back slowly) */
  concurrency?: number;
  /** stops the scan after the page in hand: it stays resumable */
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgressEvent) => void;
  /** who started it (a new scan) */
  actor?: { upn: string | null; name: string | null } | null;
  /** continue this running scan (its lease must be free) instead of starting one */
  scanId?: string;
  /** ready-made scan row to run, created by startScan (its lease already held by `holder`) */
  holder?: string;
  leaseMs?: number;
  /** a page that still fails after the Graph client's retries: tried this often, waiting Retry-After or baseDelayMs doubling */
  pageRetry?: { attempts: number; baseDelayMs: number };
  unusedAfterDays?: number;
  now?: () => Date;
};

export type ScanOutcome =
  | { status: "completed"; scanId: string; summary: ScanSummary }
  /** stopped for now (a fault that outlasted the retries, an abort): resumable from its cursor */
  | { status: "interrupted"; scanId: string; error: string }
  | { status: "failed"; scanId: string; error: string }
  /** another process holds this scan now */
  | { status: "busy"; scanId: string };

const emptyCursor = (): ScanCursor => ({
  servicePrincipals: INVENTORY_FIRST_PAGES.servicePrincipals, grants: INVENTORY_FIRST_PAGES.grants, assignments: {}, signIns: SIGN_IN_ACTIVITIES_FIRST_PAGE, restarts: 0, resumes: 0,
});

class StopScan extends Error {}

const describe = (error: unknown): string => {
  const text = error instanceof GraphError ? `Graph ${error.statusCode} ${error.code ?? ""}: ${error.message}` : error instanceof Error ? error.message : String(error);
  // never a token or a link with one: the message is shown to reviewers
  return text.replace(/Bearer\s+\S+/gi, "Bearer …").slice(0, 500);
};

/** Errors worth another try later: throttling, Graph unavailable, the network. Anything else (403, 400…) fails the scan. */
function isTransient(error: unknown): boolean {
  if (error instanceof GraphError) return RETRYABLE_STATUSES.has(error.statusCode) || error.statusCode <= 0 || isExpiredPageToken(error);
  return !(error instanceof LeaseLostError || error instanceof StopScan);
}

/** Creates a running scan of the tenant, or names the one already running. */
export async function startScan(sql: AuditSql, tenantId: string, actor: ScanOptions["actor"], leaseMs = DEFAULT_LEASE_MS): Promise<{ scanId: string; holder: string } | { alreadyRunning: string }> {
  const holder = randomUUID();
  const created = await createScan(sql, { tenantId, actor: actor ?? null, cursor: emptyCursor(), holder, leaseMs });
  return "scanId" in created ? { scanId: created.scanId, holder } : created;
}

/**
 * Runs one scan to its end: a new one, or `scanId` taken up where it stopped. The core the portal, the
 * tests and the benchmark share; the portal wraps it in lib/inventory/scan/index.ts.
 */
export async function scanTenant(options: ScanOptions): Promise<ScanOutcome> {
  const { sql, graph, tenantId } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  let holder = options.holder ?? randomUUID();
  let scanId = options.scanId;
  if (!scanId) {
    const started = await startScan(sql, tenantId, options.actor, leaseMs);
    if ("alreadyRunning" in started) throw new ScanAlreadyRunningError(started.alreadyRunning);
    ({ scanId, holder } = started);
  }
  const row = await claimScan(sql, scanId, holder, leaseMs);
  if (!row) return { status: "busy", scanId };
  if (row.cursor.resumes > MAX_RESUMES) {
    const error = `Stopped after ${MAX_RESUMES} attempts: ${row.lastError ?? "unknown error"}`;
    await failScan(sql, scanId, holder, error);
    return { status: "failed", scanId, error };
  }
  const run = new ScanRun(options, scanId, holder, leaseMs, row.cursor, { pages: row.pages, items: row.items, requests: row.requests, throttled: row.throttled }, row.phase);
  return run.execute();
}

class ScanRun {
  readonly #limiter: AdaptiveLimiter;
  readonly #stop = new AbortController();
  #seenCalls: number;
  #pendingRequests = 0;
  #pendingThrottled = 0;
  readonly #done = new Set<string>();
  readonly #queued = new Set<string>();
  #queue: string[] = [];
  #wakeAssignments: (() => void) | null = null;
  #listingDone = false;

  constructor(
    private readonly options: ScanOptions,
    private readonly scanId: string,
    private readonly holder: string,
    private readonly leaseMs: number,
    private readonly cursor: ScanCursor,
    private readonly totals: { pages: number; items: number; requests: number; throttled: number },
    private phase: string,
  ) {
    this.#limiter = new AdaptiveLimiter(options.concurrency ?? DEFAULT_CONCURRENCY);
    this.#seenCalls = options.graph.calls.length;
    options.signal?.addEventListener("abort", () => this.#stop.abort(), { once: true });
    this.#stop.signal.addEventListener("abort", () => this.#wakeAssignments?.(), { once: true });
  }

  async execute(): Promise<ScanOutcome> {
    const { sql } = this.options;
    const renew = setInterval(() => void renewLease(sql, this.scanId, this.holder, this.leaseMs).catch(() => undefined), Math.max(1_000, this.leaseMs / 3));
    try {
      if (this.phase !== "analysis") {
        await this.#collect();
        await this.#setPhase("names");
        await this.#resolveUnlisted();
        await this.#setPhase("analysis");
      }
      this.#flushCalls();
      const counts = await analyseScan({ sql, scanId: this.scanId, tenantId: this.options.tenantId, now: this.#now(), unusedAfterDays: this.options.unusedAfterDays ?? DEFAULT_UNUSED_AFTER_DAYS });
      // Drift against the approved baselines, from the apps just written; part of the analysis, so a failure leaves the scan resumable.
      await checkScanDrift(sql, { scanId: this.scanId, now: this.#now() });
      const finished = await sql.query<{ pages: number; requests: number; throttled: number; cursor: ScanCursor }>(
        `UPDATE "InventoryScan" SET requests = requests + $3, throttled = throttled + $4 WHERE id = $1::uuid AND "leaseHolder" = $2::uuid RETURNING pages, requests, throttled, cursor`,
        [this.scanId, this.holder, this.#pendingRequests, this.#pendingThrottled],
      );
      const final = finished[0];
      if (!final) throw new LeaseLostError();
      this.#pendingRequests = this.#pendingThrottled = 0;
      const signIns: ScanSummary["signIns"] = final.cursor.signInsUnavailable
        ? { available: false, reason: final.cursor.signInsUnavailable }
        : { available: true, apps: await countSignIns(sql, this.scanId) };
      const summary: ScanSummary = { ...counts, pages: final.pages, requests: final.requests, throttled: final.throttled, restarts: final.cursor.restarts, resumes: final.cursor.resumes, signIns };
      const completed = await sql.query<{ id: string }>(
        `UPDATE "InventoryScan" SET status = 'completed', "finishedAt" = now(), summary = $3::jsonb, "leaseHolder" = NULL, "leaseUntil" = NULL, "lastError" = NULL
         WHERE id = $1::uuid AND "leaseHolder" = $2::uuid AND status = 'running' RETURNING id::text`,
        [this.scanId, this.holder, JSON.stringify(summary)],
      );
      if (completed.length === 0) throw new LeaseLostError();
      await pruneOldScans(sql, this.options.tenantId);
      return { status: "completed", scanId: this.scanId, summary };
    } catch (error) {
      if (error instanceof LeaseLostError) return { status: "busy", scanId: this.scanId };
      const message = this.#stop.signal.aborted && this.options.signal?.aborted ? "The scan was stopped; it continues from the last page stored." : describe(error);
      if (this.options.signal?.aborted || isTransient(error)) {
        await releaseScan(sql, this.scanId, this.holder, message).catch(() => undefined);
        return { status: "interrupted", scanId: this.scanId, error: message };
      }
      await failScan(sql, this.scanId, this.holder, message).catch(() => undefined);
      return { status: "failed", scanId: this.scanId, error: message };
    } finally {
      clearInterval(renew);
    }
  }

  #now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async #setPhase(phase: string): Promise<void> {
    this.phase = phase;
    await setPhase(this.options.sql, this.scanId, this.holder, phase);
    this.#report();
  }

  #report(): void {
    this.options.onProgress?.({ phase: this.phase, ...this.totals, requests: this.totals.requests + this.#pendingRequests, throttled: this.totals.throttled + this.#pendingThrottled });
  }

  /** Counts the Graph calls made since the last look (retries included) and tells the limiter about 429s. */
  #flushCalls(): void {
    const calls = this.options.graph.calls;
    for (; this.#seenCalls < calls.length; this.#seenCalls += 1) {
      const call = calls[this.#seenCalls];
      if (!call) continue;
      // a $batch envelope is no Graph request of its own: its parts are counted where they are read
      if (!call.url.includes("/$batch")) this.#pendingRequests += 1;
      if (call.status === 429) {
        this.#pendingThrottled += 1;
        this.#limiter.throttled();
      }
    }
  }

  /** One Graph read under the limiter; throttling and outages waited out here before the scan gives up for now. */
  async #read<T>(read: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      if (this.#stop.signal.aborted) throw new StopScan("stopped");
      try {
        const result = await this.#limiter.run(read);
        this.#flushCalls();
        this.#limiter.succeeded();
        return result;
      } catch (error) {
        this.#flushCalls();
        const retry = this.options.pageRetry ?? DEFAULT_PAGE_RETRY;
        if (isExpiredPageToken(error) || !isTransient(error) || attempt >= retry.attempts) throw error;
        if (error instanceof GraphError && error.statusCode === 429) this.#limiter.throttled();
        const asked = error instanceof GraphError ? retryAfterMs(error.headers?.get("retry-after") ?? null) : undefined;
        await sleep(asked ?? Math.min(30_000, retry.baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  /**
   * Like #store, without waiting: the page's rows are inserted at once (up to PAGES_AHEAD pages at a time
   * per collection), and the cursor moves past the page after `previous` (the page before it) has moved
   * it and its own rows are in. Returns the promise of that cursor move.
   */
  #storeAhead(collection: Collection, cursorPath: string[], page: InventoryPage<unknown>, previous: Promise<void>): Promise<void> {
    this.#flushCalls();
    const requests = this.#pendingRequests;
    const throttled = this.#pendingThrottled;
    this.#pendingRequests = this.#pendingThrottled = 0;
    const rowsIn = insertPageRows(this.options.sql, this.scanId, collection, page.items as never);
    rowsIn.catch(() => undefined); // judged below, after the page before it
    const moved = (async () => {
      await previous;
      const items = await rowsIn;
      await advanceCursor(this.options.sql, this.scanId, this.holder, this.leaseMs, { cursorPath, next: page.nextLink, requests, throttled, items });
      this.totals.pages += 1;
      this.totals.items += page.items.length;
      this.totals.requests += requests;
      this.totals.throttled += throttled;
      this.#report();
    })();
    moved.catch(() => undefined); // judged by the chain
    return moved;
  }

  async #store(collection: Collection, cursorPath: string[], page: InventoryPage<unknown>, extra: { requests?: number; throttled?: number } = {}): Promise<void> {
    this.#flushCalls();
    const requests = this.#pendingRequests + (extra.requests ?? 0);
    const throttled = this.#pendingThrottled + (extra.throttled ?? 0);
    this.#pendingRequests = this.#pendingThrottled = 0;
    await storePage(this.options.sql, this.scanId, this.holder, this.leaseMs, {
      collection, rows: page.items as never, cursorPath, next: page.nextLink, requests, throttled,
    });
    this.totals.pages += 1;
    this.totals.items += page.items.length;
    this.totals.requests += requests;
    this.totals.throttled += throttled;
    this.#report();
  }

  /**
   * One collection, page after page, the next page read while this one is stored. An expired page token
   * sends the collection back to its first page: Graph cannot continue past it, and the rows already
   * stored are kept (a page read twice is stored once).
   */
  async #chain<T>(collection: Collection, cursorPath: string[], first: string, start: string | null, read: (link: string) => Promise<InventoryPage<T>>, onPage?: (items: T[]) => void): Promise<void> {
    let restarts = 0;
    let link = start;
    while (link) {
      // the cursor moves of the pages in hand, oldest first; the last one is the chain's latest
      const moves: Promise<void>[] = [];
      try {
        let pending: Promise<InventoryPage<T>> | null = this.#read(() => read(link as string));
        while (pending) {
          const page: InventoryPage<T> = await pending;
          pending = page.nextLink && !this.#stop.signal.aborted ? this.#read(() => read(page.nextLink as string)) : null;
          pending?.catch(() => undefined); // judged when awaited
          onPage?.(page.items);
          // stored while the following pages are read: storing, not Graph, would otherwise set the pace
          moves.push(this.#storeAhead(collection, cursorPath, page, moves.at(-1) ?? Promise.resolve()));
          if (moves.length >= PAGES_AHEAD) await moves.shift();
          link = page.nextLink;
          if (this.#stop.signal.aborted) {
            await Promise.all(moves);
            throw new StopScan("stopped");
          }
        }
        await Promise.all(moves);
      } catch (error) {
        // no cursor move of this chain may land after the restart below, nor a failed store go unseen
        await Promise.all(moves);
        if (!isExpiredPageToken(error) || restarts >= MAX_RESTARTS) throw error;
        restarts += 1;
        link = first;
        await restartCollection(this.options.sql, this.scanId, this.holder, cursorPath, first);
      }
    }
  }

  /** The three chains side by side; the first failure stops the others after their page in hand. */
  async #collect(): Promise<void> {
    for (const [resourceId, next] of Object.entries(this.cursor.assignments)) {
      if (next === null) this.#done.add(resourceId);
      else this.#enqueue(resourceId);
    }
    // a resumed scan: the APIs with app roles among the service principals already stored
    for (const resourceId of await resourcesWithAppRoles(this.options.sql, this.scanId)) this.#enqueue(resourceId);
    const guard = <T>(work: Promise<T>) => work.catch((error: unknown) => { this.#stop.abort(); throw error; });
    const listing = guard(
      this.#chain("servicePrincipals", ["servicePrincipals"], INVENTORY_FIRST_PAGES.servicePrincipals, this.cursor.servicePrincipals, (link) => readServicePrincipalPage(this.options.graph.client, link),
        (sps) => { for (const sp of sps) if (sp.appRoles.length > 0) this.#enqueue(sp.id.toLowerCase()); }),
    ).finally(() => { this.#listingDone = true; this.#wakeAssignments?.(); });
    const grants = guard(this.#chain("grants", ["grants"], INVENTORY_FIRST_PAGES.grants, this.cursor.grants, (link) => readGrantPage(this.options.graph.client, link)));
    const assignments = guard(this.#assignments());
    const signIns = guard(this.#signIns());
    // the phase names the first collection still being read, so the progress says what is left
    let grantsDone = false;
    let assignmentsDone = false;
    let signInsRead = false;
    void signIns.then(() => { signInsRead = true; }, () => undefined);
    const advance = async () => {
      const phase = !this.#listingDone ? "servicePrincipals" : !grantsDone ? "grants" : !assignmentsDone ? "appRoleAssignments" : "signIns";
      if (phase !== this.phase && !this.#stop.signal.aborted) await this.#setPhase(phase).catch(() => undefined);
    };
    const phaseWrites = [
      listing.then(advance, () => undefined),
      grants.then(() => { grantsDone = true; return advance(); }, () => undefined),
      assignments.then(() => { assignmentsDone = true; return signInsRead ? undefined : advance(); }, () => undefined),
    ];
    const results = await Promise.allSettled([listing, grants, assignments, signIns]);
    await Promise.all(phaseWrites);
    const failure = results.find((result): result is PromiseRejectedResult => result.status === "rejected" && !(result.reason instanceof StopScan))
      ?? results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failure) throw failure.reason;
  }

  /**
   * The sign-in activity report (each app's last sign-in), page after page beside the other chains. Graph
   * refusing it (403 without the licence or the permission, the beta API absent) is no reason to stop:
   * the scan records that sign-in data was unavailable and the apps keep no last sign-in.
   */
  async #signIns(): Promise<void> {
    if (this.cursor.signInsUnavailable) return;
    const start = this.cursor.signIns === undefined ? SIGN_IN_ACTIVITIES_FIRST_PAGE : this.cursor.signIns;
    try {
      await this.#chain("signIns", ["signIns"], SIGN_IN_ACTIVITIES_FIRST_PAGE, start, (link) => readSignInActivityPage(this.options.graph.client, link));
    } catch (error) {
      if (!isSignInReportRefused(error)) throw error;
      await signInsUnavailable(this.options.sql, this.scanId, this.holder, describe(error));
    }
  }

  #enqueue(resourceId: string): void {
    const id = resourceId.toLowerCase();
    if (this.#done.has(id) || this.#queued.has(id)) return;
    this.#queued.add(id);
    this.#queue.push(id);
    this.#wakeAssignments?.();
  }

  /**
   * The application permissions, API by API as the listing finds those with app roles: first pages of
   * up to 20 APIs in one $batch round trip, further pages (an API with more than 999) one by one.
   */
  async #assignments(): Promise<void> {
    const { graph } = this.options;
    const chains: Promise<void>[] = [];
    for (;;) {
      if (this.#stop.signal.aborted) throw new StopScan("stopped");
      if (this.#queue.length === 0) {
        if (this.#listingDone) break;
        await new Promise<void>((resolve) => { this.#wakeAssignments = resolve; });
        this.#wakeAssignments = null;
        continue;
      }
      // a resumed API continues from its own link; the others start in a batch
      const continuing = this.#queue.filter((id) => typeof this.cursor.assignments[id] === "string");
      const fresh = this.#queue.filter((id) => typeof this.cursor.assignments[id] !== "string").slice(0, BATCH_PARTS);
      this.#queue = this.#queue.filter((id) => !continuing.includes(id) && !fresh.includes(id));
      for (const id of continuing) chains.push(this.#assignmentChain(id, this.cursor.assignments[id] as string));
      if (fresh.length === 0) continue;
      const { pages, attempts, throttled } = await this.#read(() => readAssignedToFirstPages(graph.client, fresh, graph.retry));
      for (let i = 0; i < throttled; i += 1) this.#limiter.throttled();
      let extra: { requests?: number; throttled?: number } = { requests: attempts, throttled };
      for (const first of pages) {
        if ("failure" in first) {
          const error = batchPartError(first.failure);
          // the API's service principal was deleted since it was listed: it holds nothing now
          if (error.statusCode === 404) {
            await this.#store("assignments", ["assignments", first.resourceId], { items: [], nextLink: null }, extra);
            extra = {};
            this.#done.add(first.resourceId);
            continue;
          }
          throw error;
        }
        await this.#store("assignments", ["assignments", first.resourceId], first.page, extra);
        extra = {};
        if (first.page.nextLink) chains.push(this.#assignmentChain(first.resourceId, first.page.nextLink));
        else this.#done.add(first.resourceId);
      }
    }
    await Promise.all(chains);
  }

  #assignmentChain(resourceId: string, next: string): Promise<void> {
    const chain = this.#readAssignmentChain(resourceId, next).catch((error: unknown) => {
      this.#stop.abort();
      throw error;
    });
    chain.catch(() => undefined); // judged by Promise.all in #assignments
    return chain;
  }

  async #readAssignmentChain(resourceId: string, next: string): Promise<void> {
    await this.#chain("assignments", ["assignments", resourceId], assignedToFirstPage(resourceId), next, (link) => readAssignedToPage(this.options.graph.client, link));
    this.#done.add(resourceId);
  }

  /** Service principals a grant or assignment names that the listing missed (created while it ran): in bulk, getByIds. */
  async #resolveUnlisted(): Promise<void> {
    const missing = await unlistedServicePrincipals(this.options.sql, this.scanId);
    if (missing.length === 0) return;
    const found = await this.#read(() => servicePrincipalsByIds(this.options.graph.client, missing));
    await storeServicePrincipals(this.options.sql, this.scanId, found);
    this.#flushCalls();
  }
}
