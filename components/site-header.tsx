import Link from "next/link";
import { auth } from "@/auth";
import { signOutAction } from "@/app/auth-actions";

const ROLE_LABEL = { admin: "Admin", reviewer: "Reviewer", user: "User" } as const;

export async function SiteHeader() {
  const session = await auth();
  const user = session?.user;
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <Link href="/" className="font-semibold text-brand-dark">
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
            <form action={signOutAction}>
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
    </header>
  );
}
