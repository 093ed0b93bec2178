/**
 * The wizard's choice carried from Preview to Confirm as hidden inputs, so the server action validates
 * and re-plans it from the posted form rather than trusting anything kept in the browser.
 */
export function HiddenFields({ fields }: { fields: Record<string, string | readonly string[] | undefined> }) {
  return Object.entries(fields).flatMap(([name, value]) =>
    value === undefined ? [] : (typeof value === "string" ? [value] : value).map((one, i) => <input key={`${name}-${i}`} type="hidden" name={name} value={one} />),
  );
}
