import type { Client } from "@microsoft/microsoft-graph-client";
import type { DirectoryAudit, SignIn } from "@microsoft/microsoft-graph-types";
import { listAll } from "./paging";

/** Entra's directory audits and sign-in logs (sim/graph/routes/audit-logs.ts); AuditLog.Read.All. */

const quote = (value: string) => value.replace(/'/g, "''");

/** Every directory audit of one activity (e.g. "Consent to application") since `since`. */
export async function listDirectoryAudits(client: Client, query: { activityDisplayName: string; since: Date }): Promise<DirectoryAudit[]> {
  const filter = `activityDisplayName eq '${quote(query.activityDisplayName)}' and activityDateTime ge ${query.since.toISOString()}`;
  return listAll<DirectoryAudit>(client, `/auditLogs/directoryAudits?$filter=${encodeURIComponent(filter)}&$top=999`);
}

/** A sign-in to look up: by correlation ID, or a time window around a timestamp (and the user, when known). */
export type SignInLookup = { correlationId: string } | { timestamp: string; userPrincipalName: string | null; windowMinutes: number };

/** The OData filter for a lookup. */
export function signInFilter(lookup: SignInLookup): string {
  if ("correlationId" in lookup) return `correlationId eq '${quote(lookup.correlationId)}'`;
  const at = Date.parse(lookup.timestamp);
  const from = new Date(at - lookup.windowMinutes * 60_000).toISOString();
  const to = new Date(at + lookup.windowMinutes * 60_000).toISOString();
  const window = `createdDateTime ge ${from} and createdDateTime le ${to}`;
  return lookup.userPrincipalName ? `userPrincipalName eq '${quote(lookup.userPrincipalName)}' and ${window}` : window;
}

/** The first `top` sign-ins matching a lookup: one page, since a person looks for their own few. */
export async function findSignIns(client: Client, lookup: SignInLookup, select: readonly (keyof SignIn)[], top: number): Promise<SignIn[]> {
  const reply: { value: SignIn[] } = await client.api("/auditLogs/signIns").filter(signInFilter(lookup)).select([...select]).top(top).get();
  return reply.value;
}

/** Sign-ins to one app since `since`, newest first (Entra keeps about 30 days): who used it, and how. */
export async function listSignInsOfApp(client: Client, appId: string, since: Date, select: readonly (keyof SignIn)[]): Promise<SignIn[]> {
  const filter = `appId eq '${quote(appId)}' and createdDateTime ge ${since.toISOString()}`;
  return listAll<SignIn>(client, `/auditLogs/signIns?$filter=${encodeURIComponent(filter)}&$select=${select.join(",")}&$top=999`, { maxItems: 5_000 });
}
