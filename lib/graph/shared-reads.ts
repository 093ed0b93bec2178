import "server-only";

/**
 * A short memory, shared by all requests of this server, of tenant facts every status check reads and
 * that only an admin changes: the user consent policy, an API's published scopes and their
 * classifications. Without it each "is my app approved?" page reads them again (Microsoft Graph's
 * scopes are a large answer) though they change a few times a year.
 * Kept for SHARED_READ_TTL_MS at most; forgotten at once when this portal changes the tenant (the change
 * engine calls forgetSharedReads after every step). A change made elsewhere (Entra admin center, a second
 * portal instance) shows within the TTL. Failed reads are not kept.
 */
export const SHARED_READ_TTL_MS = 30_000;

type Entry = { at: number; value: Promise<unknown> };
const globalForShared = globalThis as unknown as { sharedGraphReads?: Map<string, Entry> };

function entries(): Map<string, Entry> {
  globalForShared.sharedGraphReads ??= new Map();
  return globalForShared.sharedGraphReads;
}

/** `read()`'s answer, from memory when one for `key` was read less than SHARED_READ_TTL_MS ago (concurrent callers share one read). */
export function rememberShared<T>(key: string, read: () => Promise<T>, now = Date.now()): Promise<T> {
  const memory = entries();
  const hit = memory.get(key);
  if (hit && now - hit.at < SHARED_READ_TTL_MS) return hit.value as Promise<T>;
  const value = read();
  memory.set(key, { at: now, value });
  value.catch(() => {
    if (memory.get(key)?.value === value) memory.delete(key);
  });
  return value;
}

/** Forgets every shared read: the tenant was just changed through the portal. */
export function forgetSharedReads(): void {
  entries().clear();
}
