import "server-only";
import type { SignedInUser } from "@/lib/auth/guards";
import { findSignIns as readSignIns, type SignInLookup } from "@/lib/graph/audit-logs";
import type { GraphSession } from "@/lib/graph/client";
import { graphForUser } from "@/lib/graph/session";

export type { SignInLookup } from "@/lib/graph/audit-logs";

/** Entra sign-in log entries for a pasted error, read with an admin's or reviewer's own token (AuditLog.Read.All). */
export type SignInEntry = {
  id: string;
  createdDateTime: string;
  userDisplayName: string;
  userPrincipalName: string;
  appDisplayName: string;
  appId: string;
  correlationId: string;
  ipAddress: string;
  status: { errorCode: number; failureReason: string | null };
};

export async function findSignIns(graph: GraphSession, lookup: SignInLookup): Promise<SignInEntry[]> {
  const found = await readSignIns(
    graph.client,
    lookup,
    ["id", "createdDateTime", "userDisplayName", "userPrincipalName", "appDisplayName", "appId", "correlationId", "ipAddress", "status"],
    50,
  );
  return found.map((s) => ({
    id: s.id ?? "",
    createdDateTime: s.createdDateTime ?? "",
    userDisplayName: s.userDisplayName ?? "",
    userPrincipalName: s.userPrincipalName ?? "",
    appDisplayName: s.appDisplayName ?? "",
    appId: s.appId ?? "",
    correlationId: s.correlationId ?? "",
    ipAddress: s.ipAddress ?? "",
    status: { errorCode: s.status?.errorCode ?? 0, failureReason: s.status?.failureReason ?? null },
  }));
}

/** The sign-ins a lookup finds, read as the signed-in admin or reviewer. */
export async function findSignInsAsUser(user: SignedInUser, lookup: SignInLookup): Promise<SignInEntry[]> {
  return findSignIns(await graphForUser(user), lookup);
}
