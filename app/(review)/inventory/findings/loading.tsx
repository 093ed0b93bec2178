import { LoadingPlaceholder } from "@/components/ui/loading-placeholder";

/** The section's shape while the database and Graph answer. */
export default function Loading() {
  return (
    <div className="space-y-6" aria-busy="true">
      <LoadingPlaceholder className="h-8 w-64" label="Loading the consent inventory…" />
      <div className="h-8 w-72 rounded bg-slate-100" />
      <div className="grid gap-3 sm:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="h-20 animate-pulse rounded-lg bg-slate-100" />
        ))}
      </div>
      <div className="space-y-2">
        {[0, 1, 2, 3, 4, 5].map((i) => (
          <div key={i} className="h-10 animate-pulse rounded bg-slate-100" />
        ))}
      </div>
    </div>
  );
}
