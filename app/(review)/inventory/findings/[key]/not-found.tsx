import Link from "next/link";

export default function FindingNotFound() {
  return (
    <div className="space-y-3">
      <h1 className="text-2xl font-semibold">No such finding</h1>
      <p>The last scan has no finding by that name: it may have been resolved since, or the link is incomplete.</p>
      <Link href="/inventory/findings" className="text-brand underline">
        See the current findings
      </Link>
    </div>
  );
}
