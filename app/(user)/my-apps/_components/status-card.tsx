import { PermissionList } from "@/components/permissions/permission-list";
import { listedPermission } from "@/lib/permission-items";
import type { AppStatus, StatusKind } from "@/lib/self-service/status";

const TONE: Record<StatusKind, string> = {
  "approved-everyone": "border-green-300 bg-green-50",
  "approved-you": "border-green-300 bg-green-50",
  "self-consent": "border-sky-300 bg-sky-50",
  "needs-admin": "border-amber-300 bg-amber-50",
  blocked: "border-red-300 bg-red-50",
};

/** The answer to "is my app approved?", in plain words, with what to do next. */
export function StatusCard({ status }: { status: AppStatus }) {
  return (
    <section aria-labelledby="status-title" className={`rounded-lg border p-4 ${TONE[status.kind]}`} data-testid="app-status" data-status={status.kind}>
      <h2 id="status-title" className="text-xl font-semibold" data-testid="status-title">
        {status.title}
      </h2>
      <p className="mt-1">{status.explanation}</p>
      {status.missing.length > 0 && (
        <div className="mt-3">
          <PermissionList
            testId="missing-permissions"
            items={status.missing.map((m) => {
              const item = listedPermission(m.resourceAppId, m.kind, m.value);
              return {
                ...item,
                content: (
                  <span>
                    <span className="font-medium">{m.value}</span> <span className="text-slate-600">({m.kind})</span>
                    {item.displayName && item.displayName !== m.value && <span className="text-slate-600"> {item.displayName}</span>}
                    {m.why && <span className="block text-slate-700">{m.why}</span>}
                  </span>
                ),
              };
            })}
          />
        </div>
      )}
      <p className="mt-3 font-medium" data-testid="next-step">
        Next: {status.nextStep}
      </p>
    </section>
  );
}
