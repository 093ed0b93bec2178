import "server-only";
import type { GraphSession } from "@/lib/graph/client";

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

export type SignInLookup = { correlationId: string } | { timestamp: string; userPrincipalName: string | null; windowMinutes: number };

const quote = (value: string) => value.replace(/'/g, "''");

/** The OData filter for a lookup: by correlation ID, or a time window around the timestamp (and the user, when given). */
export function signInFilter(lookup: SignInLookup): string {
  if ("correlationId" in lookup) return `correlationId eq '${quote(lookup.correlationId)}'`;
  const at = Date.parse(lookup.timestamp);
  const from = new Date(at - lookup.windowMinutes * 60_000).toISOString();
  const to = new Date(at + lookup.windowMinutes * 60_000).toISOString();
  const window = `createdDateTime ge ${from} and createdDateTime le ${to}`;
  return lookup.userPrincipalName ? `userPrincipalName eq '${quote(lookup.userPrincipalName)}' and ${window}` : window;
}

export async function findSignIns(graph: GraphSession, lookup: SignInLookup): Promise<SignInEntry[]> {
  const reply: { value: SignInEntry[] } = await graph.client
    .api("/auditLogs/signIns")
    .filter(signInFilter(lookup))
    .select(["id", "createdDateTime", "userDisplayName", "userPrincipalName", "appDisplayName", "appId", "correlationId", "ipAddress", "status"])
    .top(50)
    .get();
  return reply.value;
}
