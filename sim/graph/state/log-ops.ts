import { newGuid } from "./ids";
import type { Tenant } from "./tenant";
import type { SignIn } from "./types";

export interface SignInInput {
  userId: string;
  appId: string;
  errorCode: number;
  failureReason?: string | null;
  additionalDetails?: string | null;
  correlationId?: string;
  ipAddress?: string;
  resourceAppId?: string;
}

/** Append a sign-in log entry (what the issuer's "sign in to this app" page records). */
export function recordSignIn(t: Tenant, input: SignInInput): SignIn {
  const user = t.state.users.get(input.userId);
  const app = t.findApp(input.appId);
  const resourceAppId = input.resourceAppId ?? "00000003-0000-0000-c000-000000000000";
  const entry: SignIn = {
    id: newGuid(),
    createdDateTime: t.nowIso(),
    userDisplayName: user?.displayName ?? "",
    userPrincipalName: user?.userPrincipalName ?? "",
    userId: input.userId,
    appId: input.appId,
    appDisplayName: app?.displayName ?? "",
    ipAddress: input.ipAddress ?? "127.0.0.1",
    clientAppUsed: "Browser",
    correlationId: input.correlationId ?? newGuid(),
    conditionalAccessStatus: "notApplied",
    isInteractive: true,
    resourceDisplayName: t.servicePrincipalByAppId(resourceAppId)?.displayName ?? "",
    resourceId: resourceAppId,
    status: { errorCode: input.errorCode, failureReason: input.failureReason ?? null, additionalDetails: input.additionalDetails ?? null },
  };
  t.state.signIns.push(entry);
  return entry;
}
