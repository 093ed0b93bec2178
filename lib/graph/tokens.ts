/**
 * Delegated Graph access tokens for a signed-in person (S6): kept sealed with their session, refreshed
 * with the refresh token when stale or issued for other scopes, one refresh at a time per session.
 * Pure of storage and transport: the store and the refresher are passed in (see session.ts).
 */
export type StoredTokens = {
  accessToken?: string;
  refreshToken?: string;
  /** Seconds since the epoch. */
  expiresAt?: number;
  /** The space-separated scopes `accessToken` was issued for. */
  scopes?: string;
};

export type TokenAccess = {
  load(): Promise<StoredTokens | null>;
  save(tokens: StoredTokens): Promise<void>;
};

export type TokenStore = TokenAccess & {
  /** Runs `work` while holding this session's token lock (across portal instances), with access under that lock. */
  lock<T>(work: (locked: TokenAccess) => Promise<T>): Promise<T>;
};

export type Refresher = (refreshToken: string, scopes: string[]) => Promise<Required<Pick<StoredTokens, "accessToken" | "expiresAt" | "scopes">> & StoredTokens>;

/** The refresh token is gone or was refused (invalid_grant): the person must sign in again. */
export class ReauthenticationRequired extends Error {
  override name = "ReauthenticationRequired";
}

/** An access token this close to expiry is refreshed rather than used. */
const EXPIRY_SKEW_SECONDS = 120;

function usable(tokens: StoredTokens | null, scopes: string, now: number): tokens is StoredTokens & { accessToken: string } {
  return !!tokens?.accessToken && tokens.scopes === scopes && (tokens.expiresAt ?? 0) - EXPIRY_SKEW_SECONDS > now / 1000;
}

export async function accessToken(store: TokenStore, scopes: string[], refresh: Refresher, now = Date.now): Promise<string> {
  const key = scopes.join(" ");
  const current = await store.load();
  if (usable(current, key, now())) return current.accessToken;
  return store.lock(async (locked) => {
    // Another request or instance may have refreshed while this one waited for the lock.
    const latest = await locked.load();
    if (usable(latest, key, now())) return latest.accessToken;
    if (!latest?.refreshToken) throw new ReauthenticationRequired("No refresh token is kept for this session.");
    const next = await refresh(latest.refreshToken, scopes);
    await locked.save({ ...latest, ...next });
    return next.accessToken;
  });
}

const inFlight = new Map<string, Promise<string>>();

/** Joins concurrent requests of one session in this process into a single token lookup. */
export function singleFlight(key: string, work: () => Promise<string>): Promise<string> {
  const running = inFlight.get(key);
  if (running) return running;
  const started = work().finally(() => inFlight.delete(key));
  inFlight.set(key, started);
  return started;
}
