import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ActionForm } from "@/components/recertification/action-form";
import { StateBadge } from "@/components/recertification/state-badge";
import { PageHeader } from "@/components/ui/page-header";
import { JustificationField } from "@/components/wizard/justification-field";
import { requireRole } from "@/lib/auth/guards";
import { attestationsOf, recertificationItem, searchPeople, type Person } from "@/lib/recertification/query";
import { guid } from "@/lib/validations/common";
import { ownerSearchSchema } from "@/lib/validations/recertification";
import { saveAppSettingsAction, sendReminderNowAction } from "../actions";

export const metadata: Metadata = { title: "App recertification" };

type Props = { params: Promise<{ appId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const day = (at: Date) => at.toISOString().slice(0, 10);
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function NumberField({ name, label, hint, value, min, max, placeholder }: { name: string; label: string; hint: string; value: number | null; min: number; max: number; placeholder?: string }) {
  return (
    <div>
      <label htmlFor={name} className="block font-medium">
        {label}
      </label>
      <p id={`${name}-hint`} className="text-sm text-slate-600">
        {hint}
      </p>
      <input id={name} name={name} type="number" min={min} max={max} defaultValue={value ?? ""} placeholder={placeholder} aria-describedby={`${name}-hint`} className="mt-1 w-28 rounded border border-slate-300 p-1.5" />
    </div>
  );
}

/** One app's recertification: who re-attests, how often, whether an overdue app loses its consent, and its attestations. */
export default async function AppRecertificationPage({ params, searchParams }: Props) {
  const { appId: raw } = await params;
  const user = await requireRole(["admin"], `/admin/recertification/${encodeURIComponent(raw)}`);
  const appId = guid.safeParse(raw);
  const item = appId.success ? await recertificationItem(appId.data) : null;
  if (!item) notFound();
  const { row } = item;
  const query = ownerSearchSchema.safeParse({ q: first((await searchParams).q) });
  const hits: Person[] = query.success ? await searchPeople(user, query.data.q) : [];
  const current: Person | null = row.ownerOid && row.ownerUpn ? { oid: row.ownerOid, name: row.ownerName ?? row.ownerUpn, upn: row.ownerUpn } : null;
  const people = [...(current ? [current] : []), ...hits.filter((hit) => hit.oid !== current?.oid)];
  const attestations = await attestationsOf(row.appId);

  return (
    <div className="space-y-8">
      <PageHeader
        back={{ href: "/review/recertification", label: "Recertification" }}
        title={`Recertification of ${row.displayName}`}
        subtitle={
          <>
            <StateBadge state={item.state} /> due on <span data-testid="app-due">{day(row.dueAt)}</span> · {row.riskLevel} risk · every {item.periodDays} days
            {item.revokesAt ? ` · revoked automatically on ${day(item.revokesAt)} unless re-attested` : ""}
          </>
        }
      />

      <section aria-labelledby="reminder" className="space-y-2">
        <h2 id="reminder" className="text-lg font-semibold">Reminder</h2>
        <p className="text-sm text-slate-600">
          {row.remindedAt ? `Last reminder for this due date: ${day(row.remindedAt)}.` : "No reminder has gone out for this due date yet."} The reminder goes to {current ? `${current.name} (${current.upn})` : "the reviewers"}{" "}
          with a link to re-attest in one click.
        </p>
        {!row.revokedAt && (
          <ActionForm action={sendReminderNowAction} submit="Send the reminder now" pendingText="Sending…" testId="send-reminder">
            <input type="hidden" name="appId" value={row.appId} />
          </ActionForm>
        )}
      </section>

      <section aria-labelledby="settings" className="space-y-3">
        <h2 id="settings" className="text-lg font-semibold">Settings</h2>
        <form method="get" className="flex flex-wrap items-end gap-2" role="search" aria-label="Find an owner in the directory">
          <div>
            <label htmlFor="q" className="block font-medium">
              Find an owner
            </label>
            <input id="q" name="q" type="search" defaultValue={query.success ? query.data.q : ""} maxLength={64} placeholder="Name starts with…" className="w-64 rounded border border-slate-300 p-1.5 text-sm" />
          </div>
          <button type="submit" className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:border-brand">
            Search the directory
          </button>
        </form>
        {query.success && hits.length === 0 && <p className="text-sm text-slate-600">Nobody whose name starts with “{query.data.q}”.</p>}
        <ActionForm action={saveAppSettingsAction} submit="Save the settings" pendingText="Saving…" testId="app-settings">
          <input type="hidden" name="appId" value={row.appId} />
          <fieldset>
            <legend className="font-medium">Owner</legend>
            <p className="text-sm text-slate-600">The person who re-attests this app. Without one, the reviewers do.</p>
            <div className="mt-1 space-y-1 text-sm" data-testid="owner-choices">
              <label className="flex items-center gap-2">
                <input type="radio" name="ownerOid" value="none" defaultChecked={!current} /> No named owner
              </label>
              {people.map((person) => (
                <label key={person.oid} className="flex items-center gap-2">
                  <input type="radio" name="ownerOid" value={person.oid} defaultChecked={person.oid === current?.oid} /> {person.name} ({person.upn})
                </label>
              ))}
            </div>
          </fieldset>
          <NumberField name="periodDays" label="Period in days" hint={`Empty: the ${row.riskLevel} risk level's period (${item.periodDays} days now).`} value={row.periodDays} min={7} max={1095} />
          <fieldset className="space-y-3 rounded border border-slate-200 p-3">
            <legend className="px-1 font-medium">Automatic revocation</legend>
            <label className="flex items-start gap-2">
              <input type="checkbox" name="autoRevoke" value="on" defaultChecked={row.autoRevoke} className="mt-1" />
              <span>
                Revoke this app&apos;s consent automatically when its re-attestation is overdue: every tenant-wide permission, application permission and user&apos;s own consent, by the portal itself
                through the audited revoke path. The app stays in the tenant, so an admin can grant it again.
              </span>
            </label>
            <NumberField name="graceDays" label="Grace in days" hint="How long after the due date the consent is revoked." value={row.graceDays} min={0} max={180} />
            <NumberField name="warnDays" label="Warning in days" hint="How many days before the revocation the owner and the reviewers are warned by mail." value={row.warnDays} min={1} max={60} />
          </fieldset>
          <JustificationField />
        </ActionForm>
      </section>

      <section aria-labelledby="attestations">
        <h2 id="attestations" className="text-lg font-semibold">Attestations</h2>
        {attestations.length === 0 ? (
          <p className="text-sm text-slate-600">None yet.</p>
        ) : (
          <ul className="mt-2 space-y-1 text-sm" data-testid="attestations">
            {attestations.map((a) => (
              <li key={a.id}>
                {day(a.createdAt)}: {a.attestedByName} ({a.attestedByUpn}) — {a.decision === "attested" ? "still needed, still these permissions" : "no longer needed, revocation proposed"}
                {a.note ? `: “${a.note}”` : ""}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
