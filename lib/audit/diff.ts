/** A readable before/after comparison: one row per changed leaf path; space-separated scope strings compared word by word. */
export type DiffRow = {
  path: string;
  kind: "added" | "removed" | "changed";
  before: string | null;
  after: string | null;
  /** For scope-like strings: the words added and removed. */
  words?: { added: string[]; removed: string[] };
};

function flatten(value: unknown, prefix: string, out: Map<string, unknown>) {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.set(prefix || "(value)", {});
    for (const [key, item] of entries) flatten(item, prefix ? `${prefix}.${key}` : key, out);
  } else if (Array.isArray(value) && value.some((item) => item !== null && typeof item === "object")) {
    value.forEach((item, i) => flatten(item, `${prefix}[${i}]`, out));
    if (value.length === 0) out.set(prefix || "(value)", []);
  } else {
    out.set(prefix || "(value)", value);
  }
}

const show = (value: unknown): string | null => (value === undefined ? null : typeof value === "string" ? value : JSON.stringify(value));
const words = (text: string) => text.split(/\s+/).filter(Boolean);

export function diffValues(before: unknown, after: unknown): DiffRow[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  if (before !== null && before !== undefined) flatten(before, "", a);
  if (after !== null && after !== undefined) flatten(after, "", b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const rows: DiffRow[] = [];
  for (const path of paths) {
    const x = a.get(path);
    const y = b.get(path);
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    const row: DiffRow = { path, kind: !a.has(path) ? "added" : !b.has(path) ? "removed" : "changed", before: show(x), after: show(y) };
    if (typeof x === "string" && typeof y === "string" && (x.includes(" ") || y.includes(" ") || /\./.test(x + y))) {
      const wx = new Set(words(x));
      const wy = new Set(words(y));
      row.words = { added: [...wy].filter((w) => !wx.has(w)), removed: [...wx].filter((w) => !wy.has(w)) };
    }
    rows.push(row);
  }
  return rows;
}
