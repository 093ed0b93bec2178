/**
 * Next's request-scoped helpers as a server action sees them outside a request:
 * `vi.mock("next/headers", () => import("@/lib/testing/next-request"))` (and "next/cache"). The headers are a
 * browser's post from the portal's own page (AUTH_URL), so the same-origin check (S3) sees the Origin it expects.
 */

export async function headers(): Promise<Headers> {
  const origin = process.env.AUTH_URL ? new URL(process.env.AUTH_URL).origin : null;
  return new Headers({ "user-agent": "vitest", ...(origin ? { origin } : {}) });
}

/** Nothing is cached outside a request. */
export function revalidatePath(): void {}
