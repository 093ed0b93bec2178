import type { ReactNode } from "react";
import { WizardHeader } from "./wizard-header";

/** Every step of a policy wizard, a failed read included, sits under the same header: the way back is always there. */
export function PolicyWizard({ title, intro, children }: { title: string; intro: string; children: ReactNode }) {
  return (
    <div className="space-y-6">
      <WizardHeader title={title} intro={intro} />
      {children}
    </div>
  );
}
