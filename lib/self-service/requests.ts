import "server-only";
import { z } from "zod";
import type { ActionContext } from "@/lib/actions/authorized-action";
import { withAudit } from "@/lib/audit";
import type { SignedInUser } from "@/lib/auth/guards";
import { db, dbPool } from "@/lib/db";
import { deliverSoon, enqueueRequestCreated, enqueueRequestDecided } from "@/lib/notifications";
import type { RequestedPermissions } from "./status";

/** The portal's own approval requests (GRAPH.md fact 2: users cannot create Entra's through any API). */

export const REQUESTS_PER_HOUR = 5;

export type RequestView = {
  id: string;
  appId: string;
  appName: string;
  permissions: RequestedPermissions;
  justification: string;
  status: "open" | "approved" | "denied";
  requesterOid: string;
  requesterUpn: string;
  requesterName: string;
  decidedByName: string | null;
  decidedByUpn: string | null;
  reason: string | null;
  createdAt: Date;
  decidedAt: Date | null;
};

/**
 * The grant wizard's preview for exactly what was requested: approving equals granting (GRAPH.md fact 1).
 * It carries the request, so the grant names it and, once the tenant holds it, marks it approved.
 */
export function grantWizardHref(request: Pick<RequestView, "id" | "appId" | "permissions">): string {
  // A request described in words names no permissions: the admin chooses them, still approving it.
  const query = new URLSearchParams(request.permissions.length > 0 ? [["step", "preview"], ["request", request.id]] : [["request", request.id]]);
  for (const api of request.permissions) {
    for (const scope of api.scopes) query.append("d", `${api.resourceAppId}|${scope}`);
    for (const role of api.appRoles) query.append("r", `${api.resourceAppId}|${role}`);
  }
  return `/admin/apps/${request.appId}/grant?${query.toString()}`;
}

/** What a request calls an app neither the catalog nor the tenant can name. */
export const unnamedApp = (appId: string) => `App ${appId}`;

const permissionsSchema = z.array(z.object({ resourceAppId: z.string(), scopes: z.array(z.string()), appRoles: z.array(z.string()) }));
type Row = Awaited<ReturnType<ReturnType<typeof db>["consentRequest"]["findFirstOrThrow"]>>;

function view(row: Row): RequestView {
  return {
    id: row.id,
    appId: row.appId,
    appName: row.appName,
    permissions: permissionsSchema.catch([]).parse(row.permissions),
    justification: row.justification,
    status: row.status === "approved" || row.status === "denied" ? row.status : "open",
    requesterOid: row.requesterOid,
    requesterUpn: row.requesterUpn,
    requesterName: row.requesterName,
    decidedByName: row.decidedByName,
    decidedByUpn: row.decidedByUpn,
    reason: row.reason,
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
  };
}

const mine = (user: Pick<SignedInUser, "oid" | "tid">) => ({ requesterOid: user.oid, requesterTid: user.tid });

export async function listMyRequests(user: SignedInUser): Promise<RequestView[]> {
  return (await db().consentRequest.findMany({ where: mine(user), orderBy: { createdAt: "desc" }, take: 100 })).map(view);
}

/** One of the person's own requests; another person's is "not found", never shown (no leak). */
export async function findMyRequest(user: SignedInUser, id: string): Promise<RequestView | null> {
  const row = await db().consentRequest.findFirst({ where: { id, ...mine(user) } });
  return row ? view(row) : null;
}

export async function findOpenRequest(user: SignedInUser, appId: string): Promise<RequestView | null> {
  // Asked on every load of the status page: one plain statement, since Prisma compiles each query it
  // runs and that compilation cost more than the read (lib/auth/session-store.ts's touchSession likewise).
  const { rows } = await dbPool().query<Row>(
    `SELECT * FROM "ConsentRequest" WHERE "requesterOid" = $1::uuid AND "requesterTid" = $2::uuid AND "appId" = $3::uuid AND status = 'open' LIMIT 1`,
    [user.oid, user.tid, appId],
  );
  return rows[0] ? view(rows[0]) : null;
}

export async function listRequests(status: "open" | "decided"): Promise<RequestView[]> {
  const where = status === "open" ? { status: "open" } : { status: { in: ["approved", "denied"] } };
  return (await db().consentRequest.findMany({ where, orderBy: { createdAt: status === "open" ? "asc" : "desc" }, take: 200 })).map(view);
}

export async function findRequest(id: string): Promise<RequestView | null> {
  const row = await db().consentRequest.findUnique({ where: { id } });
  return row ? view(row) : null;
}

export type CreateOutcome = { kind: "created"; id: string } | { kind: "exists"; id: string } | { kind: "rate-limited" };

export async function createRequest(
  context: ActionContext,
  app: { appId: string; displayName: string },
  permissions: RequestedPermissions,
  justification: string,
): Promise<CreateOutcome> {
  const { user, actor, request } = context;
  const existing = await findOpenRequest(user, app.appId);
  if (existing) return { kind: "exists", id: existing.id };
  const recent = await db().consentRequest.count({ where: { ...mine(user), createdAt: { gte: new Date(Date.now() - 3_600_000) } } });
  if (recent >= REQUESTS_PER_HOUR) return { kind: "rate-limited" };
  try {
    const created = await withAudit(
      { actor, context: request, action: "consentRequest.create", target: { type: "consentRequest", appId: app.appId, name: app.displayName }, before: null, justification },
      async () => {
        // One transaction: a request never exists without the notifications that tell the reviewers of it.
        const { row, notifications } = await db().$transaction(async (tx) => {
          const row = await tx.consentRequest.create({
            data: { ...mine(user), requesterUpn: user.upn, requesterName: user.name, appId: app.appId, appName: app.displayName, permissions, justification },
          });
          return { row, notifications: await enqueueRequestCreated(tx, view(row), actor) };
        });
        return {
          result: { kind: "created" as const, id: row.id, notifications },
          after: { requestId: row.id, status: "open", permissions, notifications },
          outcome: "succeeded",
          graphRequestIds: [],
        };
      },
    );
    deliverSoon(created.notifications);
    return { kind: "created", id: created.id };
  } catch (error) {
    // A concurrent submit lost the race on the one-open-request index: point at the winner.
    if ((error as { code?: string }).code === "P2002") {
      const winner = await findOpenRequest(user, app.appId);
      if (winner) return { kind: "exists", id: winner.id };
    }
    throw error;
  }
}

/** Decides an open request; false when it was already decided (by someone else, in the meantime). */
export async function decideRequest(
  context: Pick<ActionContext, "actor" | "request">,
  request: RequestView,
  decision: { status: "approved" | "denied"; reason: string | null; grantCheck?: unknown },
): Promise<boolean> {
  const { actor } = context;
  const outcome = await withAudit(
    {
      actor, context: context.request, action: decision.status === "approved" ? "consentRequest.approve" : "consentRequest.deny",
      target: { type: "consentRequest", appId: request.appId, id: request.id, name: request.appName }, before: { status: request.status }, justification: decision.reason,
    },
    async () => {
      // One transaction: the decision and the notification that tells the requester stand or fall together.
      const { changed, notifications } = await db().$transaction(async (tx) => {
        const decidedAt = new Date();
        const updated = await tx.consentRequest.updateMany({
          where: { id: request.id, status: "open" },
          data: { status: decision.status, reason: decision.reason, decidedByUpn: actor.upn, decidedByName: actor.name, decidedAt },
        });
        if (updated.count !== 1) return { changed: false, notifications: [] };
        const facts = { ...request, status: decision.status, reason: decision.reason, decidedByName: actor.name, decidedAt };
        return { changed: true, notifications: await enqueueRequestDecided(tx, facts, actor) };
      });
      return {
        result: { changed, notifications },
        // The decision names the request and who asked why, so the audit trail finds it by either.
        after: {
          requestId: request.id,
          status: changed ? decision.status : "unchanged",
          reason: decision.reason,
          requesters: [{ oid: request.requesterOid.toLowerCase(), upn: request.requesterUpn, name: request.requesterName, justification: request.justification }],
          grantCheck: decision.grantCheck ?? null,
          notifications,
        },
        outcome: changed ? "succeeded" : "failed",
        graphRequestIds: [],
      };
    },
  );
  deliverSoon(outcome.notifications);
  return outcome.changed;
}
