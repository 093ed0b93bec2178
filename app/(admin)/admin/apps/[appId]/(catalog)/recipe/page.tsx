import type { Metadata } from "next";
import Link from "next/link";
import { AppWizardHeader } from "@/components/wizard/app-wizard-header";
import { requireRole } from "@/lib/auth/guards";
import { catalogAppOrNotFound } from "@/lib/catalog";
import { readRecipe } from "@/lib/consent/recipe-load";

export const metadata: Metadata = { title: "Which option?" };

/** The vendor article's options for this app, judged against the tenant, with one recommended. */
export default async function RecipePage({ params }: { params: Promise<{ appId: string }> }) {
  const { appId: rawAppId } = await params;
  const user = await requireRole(["admin"], `/admin/apps/${rawAppId}/recipe`);
  const app = await catalogAppOrNotFound(rawAppId);
  const recipe = await readRecipe(user, app);
  const ordered = [...recipe.options].sort((a, b) => Number(b.id === recipe.recommended) - Number(a.id === recipe.recommended));
  return (
    <div className="space-y-6">
      <AppWizardHeader app={app} title={<>Which option for {app.displayName}?</>}>
        {app.article ? <>The vendor&apos;s article (“{app.article}”) offers these ways to let people use the app. </> : null}
        Each is judged against what the app asks for and how your tenant is set up today.
      </AppWizardHeader>
      <ol className="space-y-4" data-testid="recipe">
        {ordered.map((option) => {
          const recommended = option.id === recipe.recommended;
          return (
            <li key={option.id} className={`rounded-lg border bg-white p-4 ${recommended ? "border-brand ring-1 ring-brand" : "border-slate-200"}`} data-testid={recommended ? "recommended" : undefined}>
              <div className="flex flex-wrap items-center gap-2">
                <h2 className="text-lg font-semibold">{option.title}</h2>
                {recommended && <span className="rounded bg-brand px-2 py-0.5 text-xs font-medium text-white">Recommended</span>}
                {!option.possible && <span className="rounded bg-slate-200 px-2 py-0.5 text-xs">Not possible for this app</span>}
              </div>
              <p className="mt-1 text-slate-700">{option.summary}</p>
              <ul className="mt-2 list-disc pl-5 text-sm text-slate-700">
                {(recommended ? [...recipe.reasons, ...option.why] : option.why).map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
              {option.possible && (
                <Link href={option.href} className="mt-3 inline-block text-brand underline">
                  Open the wizard
                </Link>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
