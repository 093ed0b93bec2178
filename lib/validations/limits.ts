/**
 * Limits that forms show in the browser and schemas enforce on the server. Kept free of zod so a client
 * component can import them without bundling it: zod probes `Function("")` in the browser, which the
 * CSP (proxy.ts) refuses and reports as a violation.
 */
export const JUSTIFICATION_MAX = 1000;
