import type { ReactNode } from "react";

/**
 * Why a choice sent to Preview came back to Choose, above the form that keeps the choice (every wizard):
 * the schema's messages as a list, or one sentence.
 */
export function ChooseErrors(props: { messages: readonly string[]; testId?: string } | { children: ReactNode; testId?: string }) {
  if (!("messages" in props)) {
    return (
      <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800" data-testid={props.testId ?? "choose-message"}>
        {props.children}
      </p>
    );
  }
  if (props.messages.length === 0) return null;
  return (
    <ul role="alert" className="list-disc rounded bg-red-50 py-2 pr-3 pl-8 text-sm text-red-800" data-testid={props.testId ?? "choose-message"}>
      {props.messages.map((message, i) => (
        <li key={i}>{message}</li>
      ))}
    </ul>
  );
}
