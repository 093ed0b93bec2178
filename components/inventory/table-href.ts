/**
 * The inventory's address with some parameters changed (`null` removes one), the others kept as they are:
 * a sort link or a column choice keeps the reader's filters, and both travel as links.
 */
export function hrefWith(pathname: string, search: string, changes: Record<string, string | null>): string {
  const next = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) next.delete(key);
    else next.set(key, value);
  }
  const query = next.toString();
  return query ? `${pathname}?${query}` : pathname;
}
