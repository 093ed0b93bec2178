import Link from "next/link";
import type { EntraDenial } from "@/lib/self-service/entra-decisions";
import { formatTime } from "./request-list";

/** Decisions on requests the person made on Entra's own "Approval required" screen. */
export function EntraDenialList({ denials }: { denials: EntraDenial[] }) {
  return (
    <section aria-labelledby="entra-decisions" className="space-y-3">
      <h2 id="entra-decisions" className="text-lg font-semibold">
        Requests you made when signing in
      </h2>
      <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white" data-testid="entra-denials">
        {denials.map((d) => (
          <li key={`${d.appId}-${d.decidedAt.toISOString()}`} className="space-y-1 p-3 text-sm">
            <p>
              {d.appId ? (
                <Link href={`/my-apps/apps/${d.appId}`} className="font-medium text-brand underline">
                  {d.appName}
                </Link>
              ) : (
                <span className="font-medium">{d.appName}</span>
              )}{" "}
              <span data-testid="entra-denial-status">
                Denied by {d.deciderName} {formatTime(d.decidedAt)}
              </span>
            </p>
            <p className="text-slate-700">Reason: {d.reason}</p>
            <p className="text-slate-600">
              If you still need the app, talk to the person who denied it, or request approval here with more detail about what you need it for.
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
