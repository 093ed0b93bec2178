/** The time left at the pace so far, when the scan knows how many pages to expect (the previous scan's count); null while it cannot tell. */
export function estimateMsLeft(input: { status: string; phase: string; pages: number; expectedPages: number | null; elapsedMs: number }): number | null {
  if (input.status !== "running") return input.status === "completed" ? 0 : null;
  if (input.expectedPages === null || input.pages === 0) return null;
  const left = Math.max(0, input.expectedPages - input.pages);
  // the analysis after the last page takes a while of its own; never claim "done" while still running
  return Math.max(1_000, Math.round((input.elapsedMs / input.pages) * left));
}
