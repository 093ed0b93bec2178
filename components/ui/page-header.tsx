import Link from "next/link";
import type { ReactNode } from "react";

/**
 * A page's heading block: a link back to the page it sits under (when it has one), its one h1, a line
 * under the title, and anything else that belongs to the heading (children, after the line).
 */
export function PageHeader({ back, title, subtitle, children }: { back?: { href: string; label: string }; title: ReactNode; subtitle?: ReactNode; children?: ReactNode }) {
  return (
    <div>
      {back && (
        <Link href={back.href} className="text-sm text-brand underline">
          ← {back.label}
        </Link>
      )}
      {/* Under a back link the title keeps the gap; without one the line under it does. */}
      <h1 className={back ? "mt-1 text-2xl font-semibold" : "text-2xl font-semibold"}>{title}</h1>
      {subtitle !== undefined && <p className={back ? "text-slate-600" : "mt-1 text-slate-600"}>{subtitle}</p>}
      {children}
    </div>
  );
}
