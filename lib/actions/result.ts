/** What every server action returns to its form (useActionState): never raw errors from Graph or Prisma. */
export type ActionResult<T = undefined> =
  | { ok: true; message: string; data: T }
  | { ok: false; message: string; fieldErrors?: Record<string, string[]>; values?: Record<string, string> };

export const refused = (message: string): ActionResult<never> => ({ ok: false, message });
