import Link from "next/link";
import { auth } from "@/auth";
import { Breadcrumbs, MainNav } from "@/components/nav/main-nav";
import { listCatalog } from "@/lib/catalog";
import { HOME_PATH } from "@/lib/roles";

const ROLE_LABEL = { admin: "Admin", reviewer: "Reviewer", user: "User" } as const;

export async function SiteHeader() {
  const session = await auth();
  const user = session?.user;
  // Breadcrumbs name an app by its display name rather than its ID; admins are the ones who open apps.
  const names = user?.role === "admin" ? Object.fromEntries((await listCatalog()).map((app) => [app.appId.toLowerCase(), app.displayName])) : {};
  return (
    <>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <Link href={user ? HOME_PATH[user.role] : "/"} className="flex items-center gap-2 font-semibold text-brand-dark">
            <svg aria-hidden="true" viewBox="0 0 32 32" className="h-6 w-6">
              <rect width="32" height="32" rx="7" className="fill-brand" />
              <path d="M9 16.5l4.5 4.5L23 11.5" fill="none" stroke="white" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            Admin Consent Portal
          </Link>
          {user ? (
            <div className="flex items-center gap-3 text-sm">
              <span>
                <span className="font-medium" data-testid="signed-in-name">
                  {user.name}
                </span>{" "}
                <span className="rounded bg-slate-100 px-2 py-0.5 text-slate-700" data-testid="portal-role">
                  {ROLE_LABEL[user.role]}
                </span>
              </span>
              {/* A plain post and a full page load (app/auth/sign-out/route.ts), not a server action. */}
              <form method="post" action="/auth/sign-out">
                <button type="submit" className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-50">
                  Sign out
                </button>
              </form>
            </div>
          ) : (
            <Link href="/signin" className="rounded bg-brand px-3 py-1 text-sm text-white hover:bg-brand-dark">
              Sign in
            </Link>
          )}
        </div>
        {user && <MainNav role={user.role} />}
      </header>
      {user && <Breadcrumbs role={user.role} names={names} />}
    </>
  );
}
