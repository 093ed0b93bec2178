import type { GroupConsentChoice } from "@/lib/consent/group-consent/plan";

const OPTIONS = [
  {
    mode: "off",
    title: "Do not allow group owner consent",
    detail: "Group owners cannot let apps read their group's files, messages or calendar; an administrator must consent. The safest choice.",
  },
  {
    mode: "group",
    title: "Allow group owner consent for selected group owners",
    detail: "Only owners who are members of the group you pick can consent to apps for the groups they own.",
  },
  {
    mode: "all",
    title: "Allow group owner consent for all group owners",
    detail: "Any group owner can let an app access their group's data (what Okta's Office 365 Admin connector article asks for). Convenient, but every owner becomes a consent point.",
  },
] as const;

export function GroupConsentOptions({ current, groups, disabled }: { current: GroupConsentChoice; groups: { id: string; name: string }[]; disabled: boolean }) {
  return (
    <fieldset disabled={disabled} className="space-y-3" aria-describedby={disabled ? "role-reason" : undefined}>
      <legend className="font-semibold">Group owner consent for apps accessing data</legend>
      {OPTIONS.map((option) => (
        <label key={option.mode} className="flex gap-3 rounded-lg border border-slate-200 bg-white p-4 has-[:checked]:border-brand has-[:disabled]:opacity-70">
          <input type="radio" name="mode" value={option.mode} defaultChecked={current.mode === option.mode} required className="mt-1" />
          <span className="space-y-1">
            <span className="block font-medium">
              {option.title}
              {current.mode === option.mode && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">Current</span>}
            </span>
            <span className="block text-sm text-slate-700">{option.detail}</span>
            {option.mode === "group" && (
              <span className="block text-sm">
                <label htmlFor="groupId" className="mr-2">
                  Group
                </label>
                <select id="groupId" name="groupId" defaultValue={current.groupId ?? ""} className="rounded border border-slate-300 p-1">
                  <option value="">Choose a group…</option>
                  {groups.map((group) => (
                    <option key={group.id} value={group.id}>
                      {group.name}
                    </option>
                  ))}
                </select>
              </span>
            )}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
