import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-6" role="alert">
      <p className="text-sm font-medium text-slate-500">403</p>
      <h1 className="text-xl font-semibold">This page is not for your role</h1>
      <p className="mt-2 text-slate-700">
        What you can see here follows your Microsoft Entra roles. If you need this page, ask your IT team for the role that
        includes it.
      </p>
      <Link href="/" className="mt-4 inline-block text-brand underline">
        Go to your home page
      </Link>
    </div>
  );
}
