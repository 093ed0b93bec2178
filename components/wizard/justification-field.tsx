/** The "why" every change carries into the audit trail. */
export function JustificationField({ errors, defaultValue }: { errors?: string[]; defaultValue?: string }) {
  return (
    <div>
      <label htmlFor="justification" className="block font-medium">
        Justification
      </label>
      <p id="justification-hint" className="text-sm text-slate-600">
        Recorded in the audit trail with your name. For example: “Okta Workflows mail automation, ticket IT-1234”.
      </p>
      <textarea
        id="justification"
        name="justification"
        required
        minLength={10}
        maxLength={500}
        rows={3}
        defaultValue={defaultValue}
        aria-describedby={errors?.length ? "justification-hint justification-error" : "justification-hint"}
        aria-invalid={errors?.length ? true : undefined}
        className="mt-1 w-full rounded border border-slate-300 p-2"
      />
      {errors?.length ? (
        <p id="justification-error" className="text-sm text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
