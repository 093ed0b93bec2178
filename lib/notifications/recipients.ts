import "server-only";
import type { Client } from "@microsoft/microsoft-graph-client";
import { reviewersOf, workflowPolicyOf } from "@/lib/consent/consent-workflow/plan";
import type { User } from "@microsoft/microsoft-graph-types";
import { findUser, listGroupUsers, listRoleAssignments } from "@/lib/graph/directory";
import { graphFailure, isGraphStatus } from "@/lib/graph/errors";
import { readAdminConsentRequestPolicy } from "@/lib/graph/policies";
import { DeliveryError } from "./transports";

/**
 * Who receives a notification, read from the directory with the portal's app-only token (Directory.Read.All,
 * Policy.Read.All): the admin consent workflow's reviewers when the tenant names any, otherwise everyone
 * holding a role that can approve. Resolved at the first delivery attempt, so a request is saved even
 * while Graph is unreachable.
 */

/** Global, Privileged Role, Cloud Application and Application Administrator: the roles that can grant consent. */
export const APPROVER_ROLE_IDS = [
  "62e90394-69f5-4237-9190-012177145e10",
  "e8611ab8-c189-46e8-94e1-60213ab1f814",
  "158c047a-c907-4556-b7ef-446551a6b5f7",
  "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
] as const;

/** Enough for any real reviewer list; a role held by thousands is a misconfiguration, not an audience. */
const MAX_RECIPIENTS = 100;
const USER_FIELDS = ["id", "mail", "userPrincipalName", "accountEnabled"] as const satisfies readonly (keyof User)[];

type DirectoryUser = Pick<User, (typeof USER_FIELDS)[number]>;

/** A user's mail address: `mail`, else a member's UPN (a guest's #EXT# UPN receives no mail); none for disabled accounts. */
export function mailAddressOf(user: DirectoryUser): string | null {
  if (user.accountEnabled === false) return null;
  if (user.mail) return user.mail;
  const upn = user.userPrincipalName ?? "";
  return upn.includes("@") && !upn.includes("#EXT#") ? upn : null;
}

async function userOrNull(client: Client, id: string): Promise<DirectoryUser | null> {
  return findUser(client, id, USER_FIELDS);
}

async function groupUsers(client: Client, id: string): Promise<DirectoryUser[] | null> {
  try {
    return await listGroupUsers(client, id, USER_FIELDS, { maxItems: MAX_RECIPIENTS });
  } catch (error) {
    if (isGraphStatus(error, 404)) return null;
    throw error;
  }
}

/** Holders of a directory role: users, and the members of role-assignable groups; service principals are skipped. */
async function roleHolders(client: Client, roleId: string): Promise<DirectoryUser[]> {
  const assignments = await listRoleAssignments(client, roleId, { maxItems: MAX_RECIPIENTS });
  const users: DirectoryUser[] = [];
  for (const assignment of assignments) {
    // An administrative unit's admin cannot approve tenant-wide consent.
    if (assignment.directoryScopeId && assignment.directoryScopeId !== "/") continue;
    if (!assignment.principalId) continue;
    const user = await userOrNull(client, assignment.principalId);
    if (user) users.push(user);
    else users.push(...((await groupUsers(client, assignment.principalId)) ?? []));
  }
  return users;
}

export type ReviewerAddresses = { addresses: string[]; source: "workflow reviewers" | "admin roles" };

export async function reviewerAddresses(client: Client): Promise<ReviewerAddresses> {
  const reviewers = reviewersOf(workflowPolicyOf(await readAdminConsentRequestPolicy(client)));
  const found: DirectoryUser[] = [];
  if (reviewers.length > 0) {
    for (const reviewer of reviewers) {
      if (reviewer.kind === "user") {
        const user = await userOrNull(client, reviewer.id);
        if (user) found.push(user);
      } else if (reviewer.kind === "group") found.push(...((await groupUsers(client, reviewer.id)) ?? []));
      else found.push(...(await roleHolders(client, reviewer.id)));
    }
  } else {
    for (const roleId of APPROVER_ROLE_IDS) found.push(...(await roleHolders(client, roleId)));
  }
  const addresses = [...new Set(found.map(mailAddressOf).filter((a): a is string => a !== null).map((a) => a.toLowerCase()))].slice(0, MAX_RECIPIENTS);
  return { addresses, source: reviewers.length > 0 ? "workflow reviewers" : "admin roles" };
}

/** The requester's address, looked up by object ID (never trusting the UPN kept with the request). */
export async function requesterAddress(client: Client, oid: string): Promise<string | null> {
  const user = await userOrNull(client, oid);
  return user ? mailAddressOf(user) : null;
}

/** Graph failures in words fit for the outbox row: status and code, never a token. */
export function lookupFailure(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const failure = graphFailure(error);
  if (failure) return new DeliveryError(`Looking up the recipients in Microsoft Graph failed: HTTP ${failure.status} ${failure.code}.`);
  return new DeliveryError(`Looking up the recipients in Microsoft Graph failed: ${error instanceof Error ? error.name : "error"}.`);
}
