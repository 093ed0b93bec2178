import { isGraphStatus } from "./errors";
import { sleep } from "./middleware";

/** Thrown when an object just created still answers 404 after every retry: the result is "partial — retry". */
export class NotYetReplicatedError extends Error {
  override name = "NotYetReplicatedError";
}

/**
 * Runs `operation` on an object created a moment ago, retrying with backoff while Graph answers 404
 * (eventual consistency, S12). Only for objects known to exist: a 404 is then "not replicated yet".
 */
export async function afterCreate<T>(operation: () => Promise<T>, options: { attempts?: number; baseDelayMs?: number } = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 500;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!isGraphStatus(error, 404)) throw error;
      if (attempt >= attempts) throw new NotYetReplicatedError("The new object is not visible in Microsoft Graph yet; retry in a minute.");
      await sleep(baseDelayMs * 2 ** (attempt - 1));
    }
  }
}
