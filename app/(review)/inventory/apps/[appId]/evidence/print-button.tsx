"use client";

/** Opens the browser's print dialog (save as PDF from there); the page's print styles leave out the portal around it. */
export function PrintButton() {
  return (
    <button type="button" onClick={() => window.print()} className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">
      Print or save as PDF
    </button>
  );
}
