"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { addCatalogAppAction } from "../actions";

export function PickAppButton({ appId, name }: { appId: string; name: string }) {
  const [state, action] = useActionState(addCatalogAppAction, null);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="reference" value={appId} />
      {state && <span role="status" className={`text-sm ${state.ok ? "text-green-800" : "text-red-700"}`}>{state.message}</span>}
      {!state?.ok && <SubmitButton pendingText="Adding…">{`Add ${name}`}</SubmitButton>}
    </form>
  );
}
