/**
 * What a Graph-backed page shows while it reads the tenant (each page's loading.tsx): the shape of a
 * heading and a few cards, so moving between pages answers at once instead of after 1–3 s.
 */
export function PageSkeleton({ label, cards = 3 }: { label: string; cards?: number }) {
  return (
    <div className="space-y-6" aria-busy="true" data-testid="page-skeleton">
      <p role="status" className="sr-only">
        {label}
      </p>
      <div className="space-y-2" aria-hidden="true">
        <div className="h-7 w-64 animate-pulse rounded bg-slate-200" />
        <div className="h-4 w-96 max-w-full animate-pulse rounded bg-slate-200" />
      </div>
      <div className="grid gap-4 md:grid-cols-3" aria-hidden="true">
        {Array.from({ length: cards }, (_, index) => (
          <div key={index} className="h-28 animate-pulse rounded-lg border border-slate-200 bg-white" />
        ))}
      </div>
      <div className="h-40 animate-pulse rounded-lg border border-slate-200 bg-white" aria-hidden="true" />
    </div>
  );
}
