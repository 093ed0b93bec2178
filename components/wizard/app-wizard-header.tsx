import Link from "next/link";
import type { ReactNode } from "react";

/** The top of every app wizard page: the way back to the app, the wizard's name, what it does. */
export function AppWizardHeader({ app, title, children }: { app: { appId: string; displayName: string }; title: ReactNode; children: ReactNode }) {
  return (
    <div>
      <Link href={`/admin/apps/${app.appId}`} className="text-sm text-brand underline">
        ← {app.displayName}
      </Link>
      <h1 className="mt-1 text-2xl font-semibold">{title}</h1>
      <p className="max-w-3xl text-slate-600">{children}</p>
    </div>
  );
}
