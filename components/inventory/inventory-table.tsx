"use client";

import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type VisibilityState } from "@tanstack/react-table";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { OPTIONAL_COLUMNS, type OptionalColumn, type SortDirection, type SortKey } from "@/lib/inventory/vocabulary";
import type { InventoryRow } from "@/lib/inventory/query";
import type { RiskLevel } from "@/lib/permissions";
import { RiskBadge } from "@/components/wizard/risk-badge";

export type TableRow = InventoryRow & { inCatalog: boolean };

type Props = {
  rows: TableRow[];
  sort: SortKey;
  dir: SortDirection;
  hidden: OptionalColumn[];
  /** admins get links to the app's page and its revoke wizard; reviewers read only */
  canAct: boolean;
  /** revoke wizard links: `?step=preview&s=..&r=..` for each row, built on the server with the wizard's own revokeQuery */
  revokeQueries: Record<string, string>;
};

const LABELS: Record<OptionalColumn, string> = { publisher: "Publisher", permissions: "Permissions", users: "Users consented", signin: "Last sign-in", change: "Since last scan" };
const SORTABLE: Partial<Record<string, SortKey>> = { name: "name", risk: "risk", users: "users", signin: "signin" };

const helper = createColumnHelper<TableRow>();

/**
 * The inventory table. The server sorts, filters and pages (URL parameters), so the table renders
 * one page; TanStack Table holds the columns and which of them show. Sorting is a link per header,
 * column choice is written back to the URL (`hide=`), so both survive reload and travel as links.
 */
export function InventoryTable({ rows, sort, dir, hidden, canAct, revokeQueries }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();

  const columns = useMemo(
    () => [
      helper.accessor("displayName", {
        id: "name",
        header: "App",
        cell: ({ row: { original: app } }) => (
          <div>
            {canAct && app.inCatalog ? (
              <Link href={`/admin/apps/${app.appId}`} className="font-medium text-brand underline">
                {app.displayName}
              </Link>
            ) : (
              <span className="font-medium">{app.displayName}</span>
            )}
            <div className="font-mono text-xs text-slate-500">{app.appId}</div>
            <div className="mt-1 flex gap-3 text-xs">
              <Link href={`/inventory/apps/${app.appId}`} className="text-brand underline">
                Baseline<span className="sr-only"> of {app.displayName}</span>
              </Link>
              <Link href={`/inventory/apps/${app.appId}/evidence`} className="text-brand underline">
                Evidence<span className="sr-only"> for {app.displayName}</span>
              </Link>
            </div>
            {canAct && (
              <div className="mt-1 flex gap-3 text-xs">
                {app.inCatalog ? (
                  <Link href={`/admin/apps/${app.appId}/revoke?${revokeQueries[app.servicePrincipalId] ?? ""}`} className="text-brand underline">
                    Revoke…<span className="sr-only"> {app.displayName}</span>
                  </Link>
                ) : (
                  <Link href="/admin/apps#in-tenant" className="text-brand underline">
                    Add to the catalog to manage<span className="sr-only"> {app.displayName}</span>
                  </Link>
                )}
              </div>
            )}
          </div>
        ),
      }),
      helper.accessor("riskScore", {
        id: "risk",
        header: "Risk",
        cell: ({ row: { original: app } }) => (
          <div className="space-y-1">
            <span className="flex items-center gap-2">
              <RiskBadge level={app.riskLevel as RiskLevel} /> <span className="text-xs text-slate-500">{app.riskScore}/100</span>
            </span>
            <p className="text-xs text-slate-600">{app.riskSummary}</p>
          </div>
        ),
      }),
      helper.accessor("publisherName", {
        id: "publisher",
        header: LABELS.publisher,
        cell: ({ row: { original: app } }) =>
          app.verifiedPublisher ? (
            <span>
              {app.verifiedPublisher} <span className="text-xs text-green-800">(verified)</span>
            </span>
          ) : (
            <span>
              {app.publisherName ?? "—"} <span className="text-xs text-amber-800">{app.firstParty ? "(Microsoft)" : "(unverified)"}</span>
            </span>
          ),
      }),
      helper.accessor("permissionCount", {
        id: "permissions",
        header: LABELS.permissions,
        cell: ({ row: { original: app } }) => (
          <div className="text-xs">
            <span className="font-medium">{app.permissionCount}</span>
            {app.allUsers && <span className="ml-1 rounded bg-slate-100 px-1">tenant-wide</span>}
            <ul>
              {app.topPermissions.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        ),
      }),
      helper.accessor("consentedUsers", { id: "users", header: LABELS.users }),
      helper.accessor("lastSignIn", {
        id: "signin",
        header: LABELS.signin,
        cell: ({ getValue }) => {
          const value = getValue();
          return value ? <time dateTime={value}>{value.slice(0, 10)}</time> : <span className="text-slate-500">none seen</span>;
        },
      }),
      helper.accessor("change", {
        id: "change",
        header: LABELS.change,
        cell: ({ getValue }) => {
          const value = getValue();
          return value ? <span className="rounded bg-blue-50 px-1.5 py-0.5 text-xs text-blue-900">{value}</span> : <span className="text-slate-500">—</span>;
        },
      }),
    ],
    [canAct, revokeQueries],
  );

  const columnVisibility: VisibilityState = Object.fromEntries(OPTIONAL_COLUMNS.map((column) => [column, !hidden.includes(column)]));
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (row) => row.servicePrincipalId,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    manualFiltering: true,
    state: { columnVisibility },
  });

  const hrefWith = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    const search = next.toString();
    return search ? `${pathname}?${search}` : pathname;
  };

  const toggleColumn = (column: OptionalColumn, show: boolean) => {
    const nextHidden = show ? hidden.filter((c) => c !== column) : [...hidden, column];
    router.replace(hrefWith({ hide: nextHidden.length ? nextHidden.join(",") : null }), { scroll: false });
  };

  return (
    <div className="space-y-3">
      <fieldset className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <legend className="mb-1 text-xs font-medium text-slate-700">Columns</legend>
        {OPTIONAL_COLUMNS.map((column) => (
          <label key={column} className="flex items-center gap-1">
            <input type="checkbox" checked={!hidden.includes(column)} onChange={(event) => toggleColumn(column, event.target.checked)} />
            {LABELS[column]}
          </label>
        ))}
      </fieldset>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm" data-testid="inventory-table">
          <caption className="sr-only">Apps with consent in the tenant, sorted by {sort} ({dir === "asc" ? "ascending" : "descending"})</caption>
          <thead className="bg-slate-50 text-xs uppercase text-slate-600">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const key = SORTABLE[header.column.id];
                  const active = key === sort;
                  const label = flexRender(header.column.columnDef.header, header.getContext());
                  return (
                    <th key={header.id} scope="col" className="px-3 py-2" aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}>
                      {key ? (
                        <Link href={hrefWith({ sort: key, dir: active && dir === "desc" ? "asc" : active ? "desc" : null, cursor: null })} className="underline decoration-dotted">
                          {label}
                          <span aria-hidden="true">{active ? (dir === "asc" ? " ▲" : " ▼") : ""}</span>
                        </Link>
                      ) : (
                        label
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} className="border-t border-slate-100 align-top" data-testid="inventory-row">
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className="px-3 py-2">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
