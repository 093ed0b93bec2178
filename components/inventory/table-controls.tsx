"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useOptimistic, useTransition, type ReactNode } from "react";
import { OPTIONAL_COLUMNS, type OptionalColumn, type SortDirection, type SortKey } from "@/lib/inventory/vocabulary";
import { hrefWith } from "./table-href";

/**
 * The only parts of the inventory table that run in the browser: they read the current address, so a
 * sort or a column choice keeps the reader's filters. The rows themselves are rendered on the server.
 */

/** Which optional columns show; the choice is written to the address (`hide=`), so it survives a reload. */
export function ColumnChoice({ hidden, labels }: { hidden: OptionalColumn[]; labels: Record<OptionalColumn, string> }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  // The box follows the click at once, not when the server's new table arrives; the navigation is the
  // transition that ends the optimistic state, so a refused address shows the server's choice again.
  const [shownHidden, setShownHidden] = useOptimistic(hidden);
  const [, startTransition] = useTransition();
  const toggle = (column: OptionalColumn, show: boolean) => {
    const nextHidden = show ? shownHidden.filter((c) => c !== column) : [...shownHidden, column];
    startTransition(() => {
      setShownHidden(nextHidden);
      router.replace(hrefWith(pathname, params.toString(), { hide: nextHidden.length ? nextHidden.join(",") : null }), { scroll: false });
    });
  };
  return (
    <fieldset className="flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid="column-choice">
      <legend className="mb-1 text-xs font-medium text-slate-700">Columns</legend>
      {OPTIONAL_COLUMNS.map((column) => (
        <label key={column} className="flex items-center gap-1">
          <input type="checkbox" checked={!shownHidden.includes(column)} onChange={(event) => toggle(column, event.target.checked)} />
          {labels[column]}
        </label>
      ))}
    </fieldset>
  );
}

/** A column header that sorts by it: its natural direction first, the other way when it is already the sort. */
export function SortLink({ sortKey, active, dir, children }: { sortKey: SortKey; active: boolean; dir: SortDirection; children: ReactNode }) {
  const pathname = usePathname();
  const params = useSearchParams();
  const href = hrefWith(pathname, params.toString(), { sort: sortKey, dir: active && dir === "desc" ? "asc" : active ? "desc" : null, cursor: null });
  return (
    <Link href={href} className="underline decoration-dotted">
      {children}
      <span aria-hidden="true">{active ? (dir === "asc" ? " ▲" : " ▼") : ""}</span>
    </Link>
  );
}
