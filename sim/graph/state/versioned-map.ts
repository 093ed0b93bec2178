/**
 * A Map that counts its changes, so views derived from it (its values as one array, its items grouped by
 * client or resource) can be built once and reused until the next change. Without them a tenant of
 * 300,000 grants rebuilt and filtered the whole collection for every page and every per-app call: listing
 * it took O(n²) and the classic per-app enumeration O(apps × grants). Every write goes through
 * set/delete/clear, including direct `state.grants.set(…)` in the generator and in tests, so no caller can
 * see a stale view. A plain Map (state not yet wrapped by the Tenant) gets no caching, only the same answer.
 */
export class VersionedMap<K, V> extends Map<K, V> {
  version = 0;

  constructor(entries?: Iterable<readonly [K, V]>) {
    // Map's constructor would call our set() before the `version` field exists: fill it afterwards.
    super();
    if (entries) for (const [k, v] of entries) super.set(k, v);
  }
  override set(key: K, value: V): this {
    this.version += 1;
    return super.set(key, value);
  }
  override delete(key: K): boolean {
    const deleted = super.delete(key);
    if (deleted) this.version += 1;
    return deleted;
  }
  override clear(): void {
    this.version += 1;
    super.clear();
  }
}

const views = new WeakMap<Map<unknown, unknown>, Map<string, { version: number; value: unknown }>>();

/** `build(map)`, cached per map and view name until the map next changes. Callers must not mutate the result. */
function derived<K, V, R>(map: Map<K, V>, name: string, build: (map: Map<K, V>) => R): R {
  if (!(map instanceof VersionedMap)) return build(map);
  let cache = views.get(map);
  if (!cache) views.set(map, (cache = new Map()));
  const hit = cache.get(name);
  if (hit && hit.version === map.version) return hit.value as R;
  const value = build(map);
  cache.set(name, { version: map.version, value });
  return value;
}

const EMPTY: readonly never[] = Object.freeze([]);

/** The map's values in insertion order (what iterating it yields), as one shared read-only array. */
export function valuesOf<V>(map: Map<string, V>): readonly V[] {
  return derived(map, "values", (m) => [...m.values()]);
}

/**
 * The values whose `key(value)` is `wanted`, in insertion order: the same items, in the same order, as
 * `[...map.values()].filter((v) => key(v) === wanted)`. `view` names the grouping (one cache per key function).
 */
export function valuesWhere<V>(map: Map<string, V>, view: string, key: (value: V) => string, wanted: string): readonly V[] {
  const groups = derived(map, `by:${view}`, (m) => {
    const out = new Map<string, V[]>();
    for (const v of m.values()) {
      const k = key(v);
      const list = out.get(k);
      if (list) list.push(v);
      else out.set(k, [v]);
    }
    return out;
  });
  return groups.get(wanted) ?? EMPTY;
}
