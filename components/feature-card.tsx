import Link from "next/link";

type Props = {
  title: string;
  description: string;
  /** Where the feature lives; without one the card says plainly that it is not available yet. */
  href?: string;
};

export function FeatureCard({ title, description, href }: Props) {
  const body = (
    <>
      <h3 className="font-semibold text-slate-900">{title}</h3>
      <p className="mt-1 text-sm text-slate-600">{description}</p>
      {!href && <p className="mt-3 inline-block rounded bg-amber-50 px-2 py-0.5 text-xs text-amber-800">Not available yet</p>}
    </>
  );
  return href ? (
    <Link href={href} className="block rounded-lg border border-slate-200 bg-white p-4 hover:border-brand">
      {body}
    </Link>
  ) : (
    <div className="rounded-lg border border-dashed border-slate-300 bg-slate-50 p-4" aria-disabled="true">
      {body}
    </div>
  );
}
