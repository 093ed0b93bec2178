import type { Client } from "@microsoft/microsoft-graph-client";

type Page<T> = { value: T[]; "@odata.nextLink"?: string };

/**
 * Every item of a Graph collection: follows the whole `@odata.nextLink` (never rebuilt from parts), so
 * filters and skip tokens stay as Graph wrote them. `maxItems` bounds memory for huge tenants. `headers`
 * go with every page: a nextLink does not carry them (e.g. `ConsistencyLevel` of an advanced query).
 */
export async function listAll<T>(client: Client, path: string, options: { maxItems?: number; headers?: Record<string, string> } = {}): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = path;
  while (next) {
    const request = client.api(next);
    const page: Page<T> = await (options.headers ? request.headers(options.headers) : request).get();
    items.push(...page.value);
    if (options.maxItems !== undefined && items.length >= options.maxItems) return items.slice(0, options.maxItems);
    next = page["@odata.nextLink"];
  }
  return items;
}
