/** The setting now and after the change, in words, side by side. */
export function BeforeAfter({ before, after, beforeTitle = "Now", afterTitle = "After this change" }: { before: string[]; after: string[]; beforeTitle?: string; afterTitle?: string }) {
  return (
    <div className="grid gap-4 md:grid-cols-2" data-testid="before-after">
      <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label={beforeTitle} data-testid="before">
        <h3 className="font-semibold text-slate-700">{beforeTitle}</h3>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
          {before.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      </section>
      <section className="rounded-lg border border-brand bg-white p-4" aria-label={afterTitle} data-testid="after">
        <h3 className="font-semibold text-brand-dark">{afterTitle}</h3>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
          {after.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}
