/**
 * The largest form post the portal accepts (S23). The biggest real form is a few kilobytes of text (the
 * widest fields are capped at 4,000 characters) plus the previous result useActionState sends back with
 * it; half a megabyte leaves ample room. next.config.js sets Next's own server action limit to the same
 * size, and proxy.ts answers a larger post with FORM_TOO_LARGE_MESSAGE before Next reads it.
 *
 * Free of server-only imports: app/error.tsx shows the message in the browser.
 */
export const FORM_BODY_LIMIT_BYTES = 512 * 1024;
/** FORM_BODY_LIMIT_BYTES as next.config.js's serverActions.bodySizeLimit spells it. */
export const FORM_BODY_LIMIT = "512kb";

export const FORM_TOO_LARGE_MESSAGE =
  "The form was too large to send (more than 512 KB). Nothing was changed. Shorten what you typed or pasted, then try again.";

export const FORM_UNREADABLE_MESSAGE = "The form could not be read: a field name holds a control character. Nothing was changed. Reload the page and try again.";
