import type { ComponentProps, ReactNode } from "react";

/** The setting as Graph returned it, before anything is chosen: several lines as a list, one sentence as a paragraph. */
export function TenantToday(props: { lines: readonly string[] } | { children: ReactNode }) {
  return (
    <section aria-labelledby="current-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="current-heading" className="font-semibold">
        The tenant today
      </h2>
      {"lines" in props ? (
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm" data-testid="current-policy">
          {props.lines.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      ) : (
        <p className="mt-1 text-sm" data-testid="current-policy">
          {props.children}
        </p>
      )}
    </section>
  );
}

/** Off without the role, like the options above it; the role note says why. */
export function PreviewButton({ disabled, ...step }: { disabled: boolean } & Pick<ComponentProps<"button">, "name" | "value">) {
  return (
    <button type="submit" {...step} disabled={disabled} className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark disabled:cursor-not-allowed disabled:opacity-60">
      Preview the change
    </button>
  );
}

/**
 * The Choose step as a GET form: a preview is an address that can be reloaded or linked, works without
 * JavaScript, and changes nothing (only the Confirm step posts).
 */
export function PreviewForm({ action, disabled, children }: { action: string; disabled: boolean; children: ReactNode }) {
  return (
    <form method="get" action={action} className="space-y-4">
      <input type="hidden" name="step" value="preview" />
      {children}
      <PreviewButton disabled={disabled} />
    </form>
  );
}
