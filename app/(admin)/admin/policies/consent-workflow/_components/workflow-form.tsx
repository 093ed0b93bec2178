import type { DirectoryHit } from "@/lib/consent/consent-workflow/load";
import { reviewerKey, type Reviewer, type WorkflowSettings } from "@/lib/consent/consent-workflow/plan";
import { ChooseErrors } from "@/components/wizard/choose-errors";
import { PreviewButton } from "../../_components/choose-step";

type Props = {
  action: string;
  settings: WorkflowSettings;
  names: ReadonlyMap<string, string>;
  search: string;
  hits: DirectoryHit[];
  disabled: boolean;
  errors: string[];
};

const KIND_LABEL: Record<Reviewer["kind"], string> = { user: "User", group: "Group", role: "Directory role" };

/**
 * The Choose step as one GET form: "Search" reloads the page with the directory results and keeps every
 * field (chosen reviewers stay ticked); "Preview" moves on. Works without JavaScript.
 */
export function WorkflowForm({ action, settings, names, search, hits, disabled, errors }: Props) {
  const chosen = new Set(settings.reviewers.map(reviewerKey));
  return (
    <form method="get" action={action} className="space-y-6">
      <fieldset disabled={disabled} className="space-y-6" aria-describedby={disabled ? "role-reason" : undefined}>
        <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <label className="flex items-center gap-2 font-medium">
            <input type="checkbox" name="isEnabled" defaultChecked={settings.isEnabled} />
            Users can request admin consent to apps they are unable to consent to
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="notifyReviewers" defaultChecked={settings.notifyReviewers} />
            Reviewers get an email for each new request
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="remindersEnabled" defaultChecked={settings.remindersEnabled} />
            Reviewers get reminders before a request expires
          </label>
          <label className="block">
            <span className="font-medium">Requests expire after (days, 1–30)</span>
            <input
              type="number"
              name="requestDurationInDays"
              min={1}
              max={30}
              required
              defaultValue={settings.requestDurationInDays}
              className="ml-3 w-20 rounded border border-slate-300 p-1"
            />
          </label>
        </section>

        <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="reviewers-heading">
          <h2 id="reviewers-heading" className="font-semibold">
            Reviewers
          </h2>
          <p className="text-sm text-slate-600">Users, groups (everyone in them, nested groups included) and directory roles. Untick to remove.</p>
          {settings.reviewers.length === 0 ? (
            <p className="text-sm text-slate-600">No reviewers chosen.</p>
          ) : (
            <ul className="space-y-1" data-testid="chosen-reviewers">
              {settings.reviewers.map((reviewer) => (
                <li key={reviewerKey(reviewer)}>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="reviewer" value={reviewerKey(reviewer)} defaultChecked />
                    <span className="text-slate-500">{KIND_LABEL[reviewer.kind]}:</span> {names.get(reviewerKey(reviewer)) ?? reviewer.id}
                  </label>
                </li>
              ))}
            </ul>
          )}
          <div className="flex flex-wrap items-end gap-2">
            <label className="block">
              <span className="block text-sm font-medium">Find users, groups or roles by name</span>
              <input type="search" name="q" defaultValue={search} maxLength={60} className="w-72 rounded border border-slate-300 p-1.5" />
            </label>
            <button type="submit" name="step" value="choose" formNoValidate className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-50">
              Search the directory
            </button>
          </div>
          {search && (
            <div data-testid="search-results">
              {hits.filter((hit) => !chosen.has(reviewerKey(hit))).length === 0 ? (
                <p className="text-sm text-slate-600">Nothing else in the directory starts with “{search}”.</p>
              ) : (
                <ul className="space-y-1">
                  {hits
                    .filter((hit) => !chosen.has(reviewerKey(hit)))
                    .map((hit) => (
                      <li key={reviewerKey(hit)}>
                        <label className="flex items-center gap-2 text-sm">
                          <input type="checkbox" name="reviewer" value={reviewerKey(hit)} />
                          <span className="text-slate-500">{KIND_LABEL[hit.kind]}:</span> {hit.name}
                          <span className="text-slate-500">({hit.detail})</span>
                        </label>
                      </li>
                    ))}
                </ul>
              )}
              <p className="mt-1 text-xs text-slate-500">Tick the ones to add, then search again or preview.</p>
            </div>
          )}
        </section>
      </fieldset>
      <ChooseErrors messages={errors} testId="choose-errors" />
      <PreviewButton name="step" value="preview" disabled={disabled} />
    </form>
  );
}
