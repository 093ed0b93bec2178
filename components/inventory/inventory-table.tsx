import Link from "next/link";
import type { ReactNode } from "react";
import type { OptionalColumn, SortDirection, SortKey } from "@/lib/inventory/vocabulary";
import type { InventoryRow } from "@/lib/inventory/query";
import type { RiskLevel } from "@/lib/permissions";
import { RiskBadge } from "@/components/wizard/risk-badge";
import { ColumnChoice, SortLink } from "./table-controls";


type Props = {
  rows: InventoryRow[];
  sort: SortKey;
  dir: SortDirection;
  hidden: OptionalColumn[];
  /** admins get links to the app's page and its revoke wizard; reviewers read only */
  canAct: boolean;
  /** revoke wizard links: `?step=preview&s=..&r=..` for each row, built on the server with the wizard's own revokeQuery */
  revokeQueries: Record<string, string>;
};

type ColumnId = "name" | "risk" | OptionalColumn;
type Column = { id: ColumnId; header: string; cell: (app: InventoryRow) => ReactNode };

const LABELS: Record<OptionalColumn, string> = { publisher: "Publisher", permissions: "Permissions", users: "Users consented", signin: "Last sign-in", change: "Since last scan" };
const SORTABLE: Partial<Record<ColumnId, SortKey>> = { name: "name", risk: "risk", users: "users", signin: "signin" };

function columns(canAct: boolean, revokeQueries: Record<string, string>): Column[] {
  return [
    {
      id: "name",
      header: "App",
      cell: (app) => (
        <div>
          {canAct ? (
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
          {/* Every app the tenant holds has an app page and a revoke wizard, in the catalog or not. */}
          {canAct && (
            <div className="mt-1 flex gap-3 text-xs">
              <Link href={`/admin/apps/${app.appId}/revoke?${revokeQueries[app.servicePrincipalId] ?? ""}`} className="text-brand underline">
                Revoke…<span className="sr-only"> {app.displayName}</span>
              </Link>
            </div>
          )}
        </div>
      ),
    },
    {
      id: "risk",
      header: "Risk",
      cell: (app) => (
        <div className="space-y-1">
          <span className="flex items-center gap-2">
            <RiskBadge level={app.riskLevel as RiskLevel} /> <span className="text-xs text-slate-500">{app.riskScore}/100</span>
          </span>
          <p className="text-xs text-slate-600">{app.riskSummary}</p>
        </div>
      ),
    },
    {
      id: "publisher",
      header: LABELS.publisher,
      cell: (app) =>
        app.verifiedPublisher ? (
          <span>
            {app.verifiedPublisher} <span className="text-xs text-green-800">(verified)</span>
          </span>
        ) : (
          <span>
            {app.publisherName ?? "—"} <span className="text-xs text-amber-800">{app.firstParty ? "(Microsoft)" : "(unverified)"}</span>
          </span>
        ),
    },
    {
      id: "permissions",
      header: LABELS.permissions,
      cell: (app) => (
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
    },
    { id: "users", header: LABELS.users, cell: (app) => app.consentedUsers },
    {
      id: "signin",
      header: LABELS.signin,
      cell: (app) => (app.lastSignIn ? <time dateTime={app.lastSignIn}>{app.lastSignIn.slice(0, 10)}</time> : <span className="text-slate-500">none seen</span>),
    },
    {
      id: "change",
      header: LABELS.change,
      cell: (app) => (app.change ? <span className="rounded bg-blue-50 px-1.5 py-0.5 text-xs text-blue-900">{app.change}</span> : <span className="text-slate-500">—</span>),
    },
  ];
}

/**
 * The inventory table. The server sorts, filters and pages (URL parameters), so the table renders one
 * page, here on the server: only the sort links and the column choice (table-controls.tsx) run in the
 * browser. Sorting is a link per header, column choice is written back to the URL (`hide=`), so both
 * survive reload and travel as links.
 */
export function InventoryTable({ rows, sort, dir, hidden, canAct, revokeQueries }: Props) {
  const shown = columns(canAct, revokeQueries).filter((column) => !(hidden as ColumnId[]).includes(column.id));
  return (
    <div className="space-y-3">
      <ColumnChoice hidden={hidden} labels={LABELS} />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm" data-testid="inventory-table">
          <caption className="sr-only">Apps with consent in the tenant, sorted by {sort} ({dir === "asc" ? "ascending" : "descending"})</caption>
          <thead className="bg-slate-50 text-xs uppercase text-slate-600">
            <tr>
              {shown.map((column) => {
                const key = SORTABLE[column.id];
                const active = key === sort;
                return (
                  <th key={column.id} scope="col" className="px-3 py-2" aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}>
                    {key ? (
                      <SortLink sortKey={key} active={active} dir={dir}>
                        {column.header}
                      </SortLink>
                    ) : (
                      column.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.map((app) => (
              <tr key={app.servicePrincipalId} className="border-t border-slate-100 align-top" data-testid="inventory-row">
                {shown.map((column) => (
                  <td key={column.id} className="px-3 py-2">
                    {column.cell(app)}
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
