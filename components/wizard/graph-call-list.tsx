import type { GraphCallRecord } from "@/lib/consent/engine/results";

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return decodeURIComponent(parsed.pathname + parsed.search);
  } catch {
    return url;
  }
}

/** Every Graph call a change made, with its outcome and request-id (what Microsoft support asks for). */
export function GraphCallList({ calls }: { calls: GraphCallRecord[] }) {
  if (calls.length === 0) return <p className="text-sm text-slate-600">No Microsoft Graph calls were made.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="graph-calls">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 pr-3 font-medium">Call</th>
            <th className="py-1 pr-3 font-medium">Status</th>
            <th className="py-1 font-medium">request-id</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((call, i) => (
            <tr key={i} className="border-t border-slate-100 align-top">
              <td className="py-1 pr-3 font-mono text-xs break-all">
                {call.method} {pathOf(call.url)}
                {call.attempt > 1 && <span className="ml-1 text-slate-500">(attempt {call.attempt})</span>}
              </td>
              <td className={`py-1 pr-3 ${call.status < 400 ? "text-green-800" : "text-red-700"}`}>{call.status}</td>
              <td className="py-1 font-mono text-xs">{call.requestId ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
