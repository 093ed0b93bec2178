"use client";

import { useActionState } from "react";
import { importEntraConsentAction, type DriftImportState } from "@/app/(review)/audit/actions";

/** "Import from Entra": pulls consent events made outside the portal into the trail, on demand. */
export function DriftImportButton() {
  const [state, action, pending] = useActionState<DriftImportState, FormData>((previous) => importEntraConsentAction(previous), null);
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <button type="submit" disabled={pending} className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-60">
        {pending ? "Importing from Entra…" : "Import consent events from Entra"}
      </button>
      <p role="status" className={`text-sm ${state && !state.ok ? "text-red-700" : "text-slate-700"}`}>
        {state?.message ?? ""}
      </p>
    </form>
  );
}
