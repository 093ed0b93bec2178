import "server-only";
import { z } from "zod";
import type { ActionContext } from "@/lib/actions/authorized-action";
import { withAudit } from "@/lib/audit";
import type { SignedInUser } from "@/lib/auth/guards";
import { db } from "@/lib/db";
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
  requesterUpn: string;
  requesterName: string;
  decidedByName: string | null;
  decidedByUpn: string | null;
  reason: string | null;
  createdAt: Date;
  decidedAt: Date | null;
};

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
  const row = await db().consentRequest.findFirst({ where: { ...mine(user), appId, status: "open" } });
  return row ? view(row) : null;
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
    return await withAudit(
      { actor, context: request, action: "consentRequest.create", target: { type: "consentRequest", appId: app.appId, name: app.displayName }, before: null, justification },
      async () => {
        const row = await db().consentRequest.create({
          data: { ...mine(user), requesterUpn: user.upn, requesterName: user.name, appId: app.appId, appName: app.displayName, permissions, justification },
        });
        return { result: { kind: "created" as const, id: row.id }, after: { requestId: row.id, status: "open", permissions }, outcome: "succeeded", graphRequestIds: [] };
      },
    );
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
  context: ActionContext,
  request: RequestView,
  decision: { status: "approved" | "denied"; reason: string | null; grantCheck?: unknown },
): Promise<boolean> {
  const { actor } = context;
  return withAudit(
    {
      actor, context: context.request, action: decision.status === "approved" ? "consentRequest.approve" : "consentRequest.deny",
      target: { type: "consentRequest", appId: request.appId, id: request.id, name: request.appName }, before: { status: request.status }, justification: decision.reason,
    },
    async () => {
      const updated = await db().consentRequest.updateMany({
        where: { id: request.id, status: "open" },
        data: { status: decision.status, reason: decision.reason, decidedByUpn: actor.upn, decidedByName: actor.name, decidedAt: new Date() },
      });
      const changed = updated.count === 1;
      return { result: changed, after: { status: changed ? decision.status : "unchanged", grantCheck: decision.grantCheck ?? null }, outcome: changed ? "succeeded" : "failed", graphRequestIds: [] };
    },
  );
}
