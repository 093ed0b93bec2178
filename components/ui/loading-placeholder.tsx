/** A grey bar while a server component streams in; screen readers hear what is being read. */
export function LoadingPlaceholder({ label, className }: { label: string; className: string }) {
  return (
    <p className={`animate-pulse rounded bg-slate-200 ${className}`} role="status">
      <span className="sr-only">{label}</span>
    </p>
  );
}
