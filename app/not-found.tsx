import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-6">
      <p className="text-sm font-medium text-slate-500">404</p>
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-700">There is nothing at this address.</p>
      <Link href="/" className="mt-4 inline-block text-brand underline">
        Go to your home page
      </Link>
    </div>
  );
}
