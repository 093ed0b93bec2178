import type { TenantSummaryReading } from "@/lib/consent/tenant-summary";

/** What `readTenantSummary` found; awaited here so the page streams around it inside a Suspense boundary. */
export async function TenantSummary({ summary }: { summary: Promise<TenantSummaryReading> }) {
  const reading = await summary;
  if (!reading.ok) {
    return (
      <p className="text-sm text-red-700" role="alert" data-testid="tenant-summary">
        Microsoft Graph could not be reached{reading.failure ? ` (${reading.failure.status} ${reading.failure.code})` : ""}. Try again in a moment.
      </p>
    );
  }
  return (
    <p className="text-sm text-slate-600" data-testid="tenant-summary">
      Connected to <span className="font-medium text-slate-900">{reading.displayName ?? "your tenant"}</span>
      {reading.defaultDomain && <> ({reading.defaultDomain})</>} through Microsoft Graph, as you.
    </p>
  );
}
