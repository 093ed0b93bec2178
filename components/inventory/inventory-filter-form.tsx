import Link from "next/link";
import { CHANGES, CONSENT_TYPES, RISK_LEVELS } from "@/lib/inventory/vocabulary";

const input = "mt-1 w-full rounded border border-slate-300 px-2 py-1 text-sm";

type Values = Partial<Record<"q" | "level" | "verified" | "consent" | "change" | "sort" | "dir" | "hide", string>>;

const CONSENT_LABELS: Record<(typeof CONSENT_TYPES)[number], string> = { "tenant-wide": "Tenant-wide (admin consent)", user: "Users' own consent", application: "Application permissions" };
const CHANGE_LABELS: Record<(typeof CHANGES)[number], string> = { new: "New", changed: "Changed", any: "New or changed" };

/** A plain GET form: the view lives in the URL, so a filtered view is a link and survives reload. */
export function InventoryFilterForm({ values, error }: { values: Values; error?: string }) {
  const select = (name: "level" | "verified" | "consent" | "change", label: string, options: readonly string[], labels: Record<string, string> = {}) => (
    <div>
      <label htmlFor={`i-${name}`} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <select id={`i-${name}`} name={name} defaultValue={values[name] ?? ""} className={input}>
        <option value="">Any</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {labels[option] ?? option}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form method="get" action="/inventory" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-5" aria-label="Filter the inventory">
      <div className="sm:col-span-5">
        <label htmlFor="i-q" className="block text-xs font-medium text-slate-700">
          Search (app name, publisher or app ID)
        </label>
        <input
          id="i-q"
          name="q"
          type="search"
          defaultValue={values.q ?? ""}
          className={input}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "i-q-error" : undefined}
        />
        {error && (
          <p id="i-q-error" className="mt-1 text-xs text-red-700">
            {error}
          </p>
        )}
      </div>
      {select("level", "Risk level", RISK_LEVELS)}
      {select("verified", "Publisher", ["yes", "no"], { yes: "Verified", no: "Not verified" })}
      {select("consent", "Consent type", CONSENT_TYPES, CONSENT_LABELS)}
      {select("change", "Since the last scan", CHANGES, CHANGE_LABELS)}
      {/* Sort and column choice are set from the table; the filter keeps them. */}
      {values.sort && <input type="hidden" name="sort" value={values.sort} />}
      {values.dir && <input type="hidden" name="dir" value={values.dir} />}
      {values.hide && <input type="hidden" name="hide" value={values.hide} />}
      <div className="flex items-end gap-3">
        <button type="submit" className="rounded bg-brand px-3 py-1.5 text-sm text-white hover:bg-brand-dark">
          Apply
        </button>
        <Link href="/inventory" className="py-1.5 text-sm text-brand underline">
          Clear
        </Link>
      </div>
    </form>
  );
}
