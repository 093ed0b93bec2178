import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { SiteHeader } from "@/components/site-header";
import { env } from "@/lib/env";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Admin Consent Portal", template: "%s · Admin Consent Portal" },
  description: "Guided, audited Microsoft Entra consent for the third-party apps your organization uses.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page depends on who is signed in and on runtime configuration: render per request, never at build.
  await connection();
  const simulated = env().tenant.mode === "simulated";
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        {simulated && (
          <div className="bg-amber-100 px-4 py-1 text-center text-xs text-amber-900" data-testid="simulated-banner">
            Simulated Entra tenant — nothing here touches a real Microsoft tenant.
          </div>
        )}
        <SiteHeader />
        <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
      </body>
    </html>
  );
}
