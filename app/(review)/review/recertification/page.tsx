import type { Metadata } from "next";
import Link from "next/link";
import { StateBadge } from "@/components/recertification/state-badge";
import { PageHeader } from "@/components/ui/page-header";
import { requireRole } from "@/lib/auth/guards";
import { proposedForRevocation as proposed, recertificationItems, type RecertificationItem } from "@/lib/recertification/query";
import type { RecertificationState } from "@/lib/recertification/schedule";

export const metadata: Metadata = { title: "Recertification" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const STATES: RecertificationState[] = ["due", "overdue", "attested", "revoked"];
const LABEL: Record<RecertificationState, string> = { due: "Due", overdue: "Overdue", attested: "Attested", revoked: "Revoked" };
const NO_OWNER = "none";
const day = (at: Date) => at.toISOString().slice(0, 10);
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const ownerKey = (item: RecertificationItem) => item.row.ownerUpn?.toLowerCase() ?? NO_OWNER;

function filterHref(current: { state?: string; owner?: string }, change: { state?: string | null; owner?: string | null }) {
  const next = { ...current, ...change };
  const params = new URLSearchParams(Object.entries(next).filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[1] !== ""));
  const query = params.toString();
  return `/review/recertification${query ? `?${query}` : ""}`;
}

/** Reviewers' and admins' view of re-attestation: how many apps are due, overdue, attested and revoked, by owner. */
export default async function RecertificationDashboard({ searchParams }: Props) {
  const user = await requireRole(["reviewer", "admin"], "/review/recertification");
  const query = await searchParams;
  const all = await recertificationItems();
  const state = STATES.find((s) => s === first(query.state)) ?? (first(query.state) === "proposed" ? "proposed" : undefined);
  const owners = [...new Map(all.map((item) => [ownerKey(item), item.row.ownerName ? `${item.row.ownerName} (${item.row.ownerUpn})` : "No named owner (reviewers)"])).entries()].sort((a, b) => a[1].localeCompare(b[1]));
  const owner = owners.find(([key]) => key === first(query.owner)?.toLowerCase())?.[0];
  const current = { state, owner };
  const shown = all.filter((item) => (!state || (state === "proposed" ? proposed(item) : item.state === state)) && (!owner || ownerKey(item) === owner));
  const groups = owners.map(([key, label]) => ({ key, label, items: shown.filter((item) => ownerKey(item) === key) })).filter((group) => group.items.length > 0);
  const count = (s: RecertificationState) => all.filter((item) => item.state === s).length;
  const admin = user.role === "admin";

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <PageHeader title="Recertification" subtitle="Does someone still vouch for each app's consent? Every app with an approved baseline is re-attested by its owner once per period." />
        {admin && (
          <Link href="/admin/recertification" className="text-sm text-brand underline">
            Periods per risk level
          </Link>
        )}
      </div>

      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-5" data-testid="recert-counts">
        {STATES.map((s) => (
          <li key={s}>
            <Link href={filterHref(current, { state: state === s ? null : s })} aria-current={state === s ? "true" : undefined} className={`block rounded-lg border bg-white p-3 hover:border-brand ${state === s ? "border-brand" : "border-slate-200"}`} data-testid={`count-${s}`}>
              <span className="block text-2xl font-semibold">{count(s)}</span>
              <span className="text-sm text-slate-600">{LABEL[s]}</span>
            </Link>
          </li>
        ))}
        <li>
          <Link href={filterHref(current, { state: state === "proposed" ? null : "proposed" })} aria-current={state === "proposed" ? "true" : undefined} className={`block rounded-lg border bg-white p-3 hover:border-brand ${state === "proposed" ? "border-brand" : "border-slate-200"}`} data-testid="count-proposed">
            <span className="block text-2xl font-semibold">{all.filter(proposed).length}</span>
            <span className="text-sm text-slate-600">Revocation proposed</span>
          </Link>
        </li>
      </ul>

      <form method="get" className="flex flex-wrap items-end gap-2" aria-label="Filter by owner">
        {state && <input type="hidden" name="state" value={state} />}
        <div>
          <label htmlFor="owner" className="block text-sm font-medium">
            Owner
          </label>
          <select id="owner" name="owner" defaultValue={owner ?? ""} className="rounded border border-slate-300 p-1.5 text-sm">
            <option value="">Everyone</option>
            {owners.map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:border-brand">
          Filter
        </button>
        {(state || owner) && (
          <Link href="/review/recertification" className="text-sm text-brand underline">
            Show all
          </Link>
        )}
      </form>

      {all.length === 0 ? (
        <p className="rounded border border-slate-200 bg-white p-4 text-slate-600">No app has an approved baseline yet: apps granted through the portal, or adopted from the inventory, appear here.</p>
      ) : groups.length === 0 ? (
        <p className="text-slate-600">No app matches this filter.</p>
      ) : (
        groups.map((group) => (
          <section key={group.key} aria-label={group.label} data-testid="owner-group">
            <h2 className="font-semibold">
              {group.label} <span className="font-normal text-slate-600">· {group.items.length}</span>
            </h2>
            <table className="mt-2 w-full text-sm">
              <thead>
                <tr className="text-left text-slate-500">
                  <th className="py-1 font-medium">App</th>
                  <th className="py-1 font-medium">State</th>
                  <th className="py-1 font-medium">Due</th>
                  <th className="py-1 font-medium">Last attested</th>
                  <th className="py-1 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {group.items.map((item) => (
                  <tr key={item.row.appId} className="border-t border-slate-100 align-top" data-testid="recert-row" data-app-id={item.row.appId}>
                    <td className="py-2">
                      <span className="font-medium">{item.row.displayName}</span>
                      <span className="block text-slate-600">
                        {item.row.riskLevel} · every {item.periodDays} days{item.row.autoRevoke ? " · automatic revocation" : ""}
                      </span>
                      {item.unusedDays !== null && item.state !== "revoked" && <span className="block text-amber-900">No sign-in for {item.unusedDays} days: revocation proposed</span>}
                      {proposed(item) && <span className="block text-red-800">Owner proposes revocation{item.lastAttestation?.note ? `: “${item.lastAttestation.note}”` : ""}</span>}
                    </td>
                    <td className="py-2">
                      <StateBadge state={item.state} />
                    </td>
                    <td className="py-2" data-testid="recert-due">
                      {item.state === "revoked" && item.row.revokedAt ? `revoked ${day(item.row.revokedAt)}` : day(item.row.dueAt)}
                      {item.revokesAt && item.state !== "attested" && <span className="block text-red-800">revoked {day(item.revokesAt)}</span>}
                    </td>
                    <td className="py-2" data-testid="recert-last">
                      {item.row.lastAttestedAt ? `${day(item.row.lastAttestedAt)} by ${item.row.lastAttestedByUpn}` : "—"}
                    </td>
                    <td className="space-x-3 py-2 text-right whitespace-nowrap">
                      {item.state !== "revoked" && (
                        <Link href={`/attest/${item.row.appId}`} className="text-brand underline">
                          Attest
                        </Link>
                      )}
                      {admin && proposed(item) && (
                        <Link href={`/admin/apps/${item.row.appId}/revoke`} className="text-red-800 underline" data-testid="recert-revoke">
                          Revoke
                        </Link>
                      )}
                      {admin && (
                        <Link href={`/admin/recertification/${item.row.appId}`} className="text-brand underline">
                          Settings
                        </Link>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))
      )}
    </div>
  );
}
