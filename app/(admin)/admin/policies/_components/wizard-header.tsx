import Link from "next/link";

export function WizardHeader({ title, intro }: { title: string; intro: string }) {
  return (
    <div>
      <p className="text-sm">
        <Link href="/admin/policies" className="text-brand hover:underline">
          ← Consent policies
        </Link>
      </p>
      <h1 className="mt-1 text-2xl font-semibold">{title}</h1>
      <p className="mt-1 max-w-3xl text-slate-600">{intro}</p>
    </div>
  );
}

/** A Graph read failed: say it plainly instead of showing a half-read setting. */
export function ReadFailure({ message }: { message: string }) {
  return (
    <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
      {message}
    </p>
  );
}
