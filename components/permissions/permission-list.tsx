import type { ReactNode } from "react";
import { RiskBadge } from "@/components/wizard/risk-badge";
import { groupPermissions, type ListedPermission, permissionsWord, resourceSummary, RISK_EXPLANATION } from "@/lib/permission-groups";

export type PermissionListItem = ListedPermission & {
  /** Replaces the default row: previews mark what is added, kept or refused; the choose step puts a checkbox in it. */
  content?: ReactNode;
  testId?: string;
  disabled?: boolean;
};

type Props = {
  items: PermissionListItem[];
  /** Heading before each API's name, e.g. "Permissions to grant" → "Permissions to grant on Microsoft Graph". */
  label?: string;
  /** Shown under an API's heading (by resource app ID): a refusal for the whole API, what its grant becomes. */
  notes?: Partial<Record<string, ReactNode>>;
  testId?: string;
};

/**
 * Every list of permissions in the portal: by API, then by risk level with one sentence on what the level
 * means. Native <details> so it works without JavaScript and with keyboard and screen readers: Critical and
 * High groups are open, the others open only when short — a 60-permission app stays one screen of headings.
 * Collapsed rows are still in the page (and still submitted, for the choose step's checkboxes).
 */
export function PermissionList({ items, label, notes, testId = "permission-list" }: Props) {
  const groups = groupPermissions(items);
  return (
    <div className="space-y-4" data-testid={testId}>
      {groups.map((group) => (
        <section key={group.resourceAppId} aria-label={label ? `${label} on ${group.resourceName}` : group.resourceName} className="space-y-2" data-testid="permission-resource">
          <div>
            <h3 className="font-semibold">{label ? `${label} on ${group.resourceName}` : group.resourceName}</h3>
            <p className="text-sm text-slate-600" data-testid="permission-summary">
              {resourceSummary(group)}
            </p>
            {notes?.[group.resourceAppId]}
          </div>
          {group.levels.map(({ level, items: atLevel, open }) => (
            <details key={level} open={open} className="group rounded border border-slate-200 bg-white" data-testid="permission-group" data-risk={level}>
              <summary className="flex cursor-pointer flex-wrap items-center gap-x-2 gap-y-1 px-3 py-2 text-sm">
                <RiskBadge level={level} />
                <span className="font-medium" data-testid="permission-group-count">
                  {permissionsWord(atLevel.length)}
                </span>
                <span className="text-slate-600">{RISK_EXPLANATION[level]}</span>
              </summary>
              <ul className="space-y-1 border-t border-slate-100 px-3 py-2 text-sm">
                {atLevel.map((item) => (
                  <li key={item.key} data-testid={item.testId} aria-disabled={item.disabled || undefined} className="flex flex-wrap items-baseline gap-x-2">
                    {item.content ?? <DefaultRow item={item} />}
                  </li>
                ))}
              </ul>
            </details>
          ))}
        </section>
      ))}
    </div>
  );
}

function DefaultRow({ item }: { item: PermissionListItem }) {
  return (
    <>
      <span className="font-mono">{item.value}</span>
      <span className="text-slate-500">{item.kind}</span>
      {item.displayName && item.displayName !== item.value && <span className="text-slate-600">{item.displayName}</span>}
    </>
  );
}
