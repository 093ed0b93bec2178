import Link from "next/link";
import { ORDERS, OUTCOMES, SOURCES } from "@/lib/audit/filters";

type Values = Partial<Record<"actor" | "app" | "action" | "outcome" | "source" | "from" | "to" | "q" | "sort", string>>;

const input = "mt-1 w-full rounded border border-slate-300 px-2 py-1 text-sm";

/** A plain GET form: the filter lives in the URL, so a filtered view is a link that survives reload. */
export function AuditFilterForm({ values, errors }: { values: Values; errors: Record<string, string> }) {
  const field = (name: keyof Values, label: string, props: { type?: string; placeholder?: string } = {}) => (
    <div>
      <label htmlFor={`f-${name}`} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <input
        id={`f-${name}`}
        name={name}
        defaultValue={values[name] ?? ""}
        type={props.type ?? "text"}
        placeholder={props.placeholder}
        className={input}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `f-${name}-error` : undefined}
      />
      {errors[name] && (
        <p id={`f-${name}-error`} className="mt-1 text-xs text-red-700">
          {errors[name]}
        </p>
      )}
    </div>
  );
  const select = (name: "outcome" | "source" | "sort", label: string, options: readonly string[], labels: Record<string, string> = {}, any = true) => (
    <div>
      <label htmlFor={`f-${name}`} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <select id={`f-${name}`} name={name} defaultValue={values[name] ?? ""} className={input}>
        {any && <option value="">Any</option>}
        {options.map((option) => (
          <option key={option} value={option}>
            {labels[option] ?? option}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form method="get" action="/audit" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4" aria-label="Filter the audit trail">
      {field("actor", "Actor (UPN, name or object ID)")}
      {field("app", "App (app ID or name)")}
      {field("action", "Action", { placeholder: "e.g. consent.grantDelegated" })}
      {select("outcome", "Outcome", OUTCOMES)}
      {select("sort", "Order", ORDERS, { newest: "Newest first", oldest: "Oldest first", app: "By app (A–Z)", actor: "By actor (A–Z)" }, false)}
      {field("from", "From (UTC)", { type: "date" })}
      {field("to", "To (UTC)", { type: "date" })}
      {select("source", "Source", SOURCES)}
      {field("q", "Justification (words)")}
      <div className="flex items-end gap-3 sm:col-span-3">
        <button type="submit" className="rounded bg-brand px-3 py-1.5 text-sm text-white hover:bg-brand-dark">
          Apply filter
        </button>
        <Link href="/audit" className="text-sm text-slate-700 underline">
          Clear
        </Link>
      </div>
    </form>
  );
}
