"use client";

import { useSyncExternalStore } from "react";

const noop = () => () => undefined;

/** UTC to the second: what the server renders, what the tooltip keeps, what Entra's logs show. */
export function utcText(iso: string): string {
  return `${iso.slice(0, 19).replace("T", " ")} UTC`;
}

/**
 * A moment in the reader's own time zone ("6 Dec 2026, 09:14"), with UTC on hover. The server does
 * not know the reader's zone, so it renders UTC and the browser swaps in local time once hydrated.
 */
export function LocalTime({ iso, className }: { iso: string; className?: string }) {
  const local = useSyncExternalStore(
    noop,
    () => new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso)),
    () => null,
  );
  return (
    <time dateTime={iso} title={utcText(iso)} className={className}>
      {local ?? utcText(iso)}
    </time>
  );
}
