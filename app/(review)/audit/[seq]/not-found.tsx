import Link from "next/link";

export default function AuditEventNotFound() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-xl font-semibold">No such audit event</h1>
      <p className="mt-2 text-slate-700">The link may be mistyped. Events are never deleted.</p>
      <Link href="/audit" className="mt-4 inline-block text-brand underline">
        Back to the audit trail
      </Link>
    </div>
  );
}
