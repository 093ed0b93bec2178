"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { PortalRole } from "@/lib/roles";
import { activeItem, breadcrumbs, NAV_ITEMS } from "./nav-items";

/** The role's sections, on every page; the current one marked for sight and for screen readers. */
export function MainNav({ role }: { role: PortalRole }) {
  const pathname = usePathname();
  const items = NAV_ITEMS[role];
  const active = activeItem(items, pathname);
  return (
    <nav aria-label="Main" className="border-t border-slate-100">
      <ul className="mx-auto flex max-w-5xl gap-1 overflow-x-auto px-4 text-sm" data-testid="main-nav">
        {items.map((item) => {
          const current = item === active;
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={current ? "page" : undefined}
                className={`block whitespace-nowrap border-b-2 px-3 py-2 ${current ? "border-brand font-medium text-slate-900" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"}`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** Where this page sits under the role's home, each step a way back. Nothing on a section's own page. */
export function Breadcrumbs({ role, names }: { role: PortalRole; names: Record<string, string> }) {
  const crumbs = breadcrumbs(role, usePathname(), names);
  if (crumbs.length === 0) return null;
  return (
    <nav aria-label="Breadcrumb" className="mx-auto max-w-5xl px-4 pt-4 text-sm">
      <ol className="flex flex-wrap items-center gap-1 text-slate-600" data-testid="breadcrumbs">
        {crumbs.map((crumb, index) => {
          const last = index === crumbs.length - 1;
          return (
            <li key={crumb.href} className="flex items-center gap-1">
              {last ? (
                <span aria-current="page" className="text-slate-900">
                  {crumb.label}
                </span>
              ) : (
                <>
                  <Link href={crumb.href} className="text-brand underline-offset-2 hover:underline">
                    {crumb.label}
                  </Link>
                  <span aria-hidden="true">/</span>
                </>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
