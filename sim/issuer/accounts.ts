import tenant from "../fixtures/tenant.json";
import users from "../fixtures/users.json";

export type SimAccount = {
  id: string;
  displayName: string;
  userPrincipalName: string;
  jobTitle: string;
  roleLabel: string;
  wids: string[];
  /** Set for accounts that live in another tenant (refusal tests). */
  homeTenantId?: string;
};

export const ACCOUNTS: readonly SimAccount[] = users;

export function findAccount(id: string): SimAccount | undefined {
  return ACCOUNTS.find((account) => account.id === id);
}

export function tenantOf(account: SimAccount): string {
  return account.homeTenantId ?? tenant.tenantId;
}

/**
 * The claims Entra puts in an ID token (v2.0) for this account. `sub` is per-app in Entra; the
 * simulator derives a stable one from the object ID.
 */
export function idTokenClaims(account: SimAccount) {
  return {
    sub: `sim-${account.id.replaceAll("-", "")}`,
    oid: account.id,
    tid: tenantOf(account),
    name: account.displayName,
    preferred_username: account.userPrincipalName,
    email: account.userPrincipalName,
    wids: account.wids,
    ver: "2.0",
  };
}
