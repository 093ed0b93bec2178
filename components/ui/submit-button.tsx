"use client";

import { useFormStatus } from "react-dom";

/** A submit button that shows the form is working and cannot be pressed twice. */
export function SubmitButton({ children, pendingText, disabled, variant = "primary" }: { children: React.ReactNode; pendingText: string; disabled?: boolean; variant?: "primary" | "danger" }) {
  const { pending } = useFormStatus();
  const colors = variant === "danger" ? "bg-red-700 hover:bg-red-800" : "bg-brand hover:bg-brand-dark";
  return (
    <button type="submit" disabled={pending || disabled} aria-disabled={pending || disabled} className={`rounded px-4 py-2 font-medium text-white disabled:cursor-not-allowed disabled:opacity-60 ${colors}`}>
      {pending ? pendingText : children}
    </button>
  );
}
