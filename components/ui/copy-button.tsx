"use client";

import { useState } from "react";

/**
 * Copies `text` to the clipboard and says so. Where the browser refuses (no clipboard API outside a
 * secure context, or permission denied) it selects the text of `targetId` instead, so Ctrl+C finishes the job.
 */
export function CopyButton({ text, targetId, children = "Copy" }: { text: string; targetId: string; children?: React.ReactNode }) {
  const [status, setStatus] = useState<"idle" | "copied" | "selected">("idle");

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setStatus("copied");
    } catch {
      const target = document.getElementById(targetId);
      if (target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement) {
        target.focus();
        target.select();
      }
      setStatus("selected");
    }
  }

  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button type="button" onClick={copy} className="rounded border border-slate-300 bg-white px-3 py-2 font-medium text-slate-800 hover:bg-slate-50">
        {status === "copied" ? "Copied" : children}
      </button>
      <span role="status" aria-live="polite" className="text-sm text-slate-600">
        {status === "copied" ? "The link is on your clipboard." : status === "selected" ? "Your browser did not allow copying: the link is selected, press Ctrl+C (⌘C on a Mac)." : ""}
      </span>
    </span>
  );
}
