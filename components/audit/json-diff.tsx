import { diffValues } from "@/lib/audit/diff";

/** Before/after of one event, as a table of changed fields (React escapes every value). */
export function JsonDiff({ before, after }: { before: unknown; after: unknown }) {
  const rows = diffValues(before, after);
  if (rows.length === 0) return <p className="text-sm text-slate-600">No difference between before and after.</p>;
  return (
    <table className="w-full table-fixed border-collapse text-sm" data-testid="audit-diff">
      <caption className="sr-only">Changed fields</caption>
      <thead>
        <tr className="border-b border-slate-200 text-left text-slate-600">
          <th scope="col" className="w-1/4 py-2 pr-2 font-medium">Field</th>
          <th scope="col" className="py-2 pr-2 font-medium">Before</th>
          <th scope="col" className="py-2 font-medium">After</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.path} className="border-b border-slate-100 align-top">
            <th scope="row" className="break-words py-2 pr-2 text-left font-mono text-xs font-normal">
              {row.path} <span className="ml-1 rounded bg-slate-100 px-1 text-slate-600">{row.kind}</span>
            </th>
            <td className="break-words py-2 pr-2 font-mono text-xs text-red-800">{row.before ?? <span className="text-slate-400">—</span>}</td>
            <td className="break-words py-2 font-mono text-xs text-emerald-800">
              {row.after ?? <span className="text-slate-400">—</span>}
              {row.words && (row.words.added.length > 0 || row.words.removed.length > 0) && (
                <ul className="mt-1 space-y-0.5 font-sans">
                  {row.words.added.map((word) => (
                    <li key={`+${word}`} className="text-emerald-800">+ {word}</li>
                  ))}
                  {row.words.removed.map((word) => (
                    <li key={`-${word}`} className="text-red-800">− {word}</li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
