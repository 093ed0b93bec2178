/**
 * Each policy wizard's input schema lives in its folder (lib/consent/<wizard>/schema.ts); this is what
 * their pages share.
 */

/** Next's searchParams as the object a schema expects (drops undefined). */
export function searchParamsObject(params: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined));
}
