"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { JustificationField } from "@/components/wizard/justification-field";
import type { ActionResult } from "@/lib/actions/result";
import type { BaselinePermission } from "@/lib/baseline/types";

type Props = {
  action: (previous: ActionResult<{ version: number }> | null, formData: FormData) => Promise<ActionResult<{ version: number }>>;
  appId: string;
  appName: string;
  fingerprint: string;
  /** Exactly what the tenant grants the app now: what will be saved. */
  permissions: BaselinePermission[];
  /** Compared with the current baseline, when there is one. */
  adds: BaselinePermission[];
  drops: BaselinePermission[];
  hasBaseline: boolean;
};

const words = (p: BaselinePermission) =>
  `${p.value} (${p.resourceName}, ${p.consentType === "Application" ? "application" : p.consentType === "AllPrincipals" ? "delegated, all users" : "delegated, users' own consent"})`;

/** "Adopt into baseline": the preview of what will be saved, the justification, one button. */
export function AdoptForm({ action, appId, appName, fingerprint, permissions, adds, drops, hasBaseline }: Props) {
  const [state, formAction] = useActionState(action, null);
  if (state?.ok) {
    return (
      <p role="status" className="rounded border border-green-200 bg-green-50 p-3 text-sm text-green-900" data-testid="adopt-result">
        {state.message}
      </p>
    );
  }
  return (
    <form action={formAction} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm" data-testid="adopt-form">
      <h3 className="font-semibold">{hasBaseline ? "Adopt what the tenant grants now" : "Adopt into baseline"}</h3>
      <p className="text-slate-600">
        {hasBaseline
          ? `The baseline becomes exactly what the tenant grants ${appName} now:`
          : `${appName} was consented outside the portal. Adopting records exactly what the tenant grants it now as approved:`}
      </p>
      <ul className="list-inside list-disc font-mono" data-testid="adopt-preview">
        {permissions.map((p) => (
          <li key={`${p.resourceAppId}|${p.consentType}|${p.value}`}>{words(p)}</li>
        ))}
      </ul>
      {hasBaseline && (adds.length > 0 || drops.length > 0) && (
        <p className="text-slate-700">
          {adds.length > 0 && <>Newly approved: {adds.map(words).join(", ")}. </>}
          {drops.length > 0 && <>No longer approved: {drops.map(words).join(", ")}.</>}
        </p>
      )}
      <input type="hidden" name="appId" value={appId} />
      <input type="hidden" name="fingerprint" value={fingerprint} />
      <JustificationField errors={state && !state.ok ? state.fieldErrors?.justification : undefined} />
      <div role="status" aria-live="polite">
        {state && !state.ok && <p className="rounded bg-red-50 px-3 py-2 text-red-800">{state.message}</p>}
      </div>
      <SubmitButton pendingText="Adopting…">{`Adopt ${permissions.length} ${permissions.length === 1 ? "permission" : "permissions"} into the baseline`}</SubmitButton>
    </form>
  );
}
