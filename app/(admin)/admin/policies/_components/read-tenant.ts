import { unstable_rethrow } from "next/navigation";
import { explainFailure } from "@/lib/consent/engine/failure";

export type TenantRead<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * A wizard's Graph reads as one step: if any of them fails the page says so in words (see ReadFailure)
 * rather than showing a setting it only half read.
 */
export async function readTenant<T>(read: () => Promise<T>, what: string): Promise<TenantRead<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    // A sign-in that expired while reading redirects to sign in again: that is Next's to carry out, not a read failure.
    unstable_rethrow(error);
    return { ok: false, message: explainFailure(error, what) };
  }
}
