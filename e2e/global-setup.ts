import type { FullConfig } from "@playwright/test";

/** The end-to-end tests sign in and change things: refuse anything but the local simulated stack. */
export default function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0]?.use.baseURL ?? "";
  if (!/^http:\/\/(localhost|127\.0\.0\.1):\d+$/.test(baseURL)) {
    throw new Error(`End-to-end tests run only against a local portal, not ${baseURL}.`);
  }
  if (Object.keys(process.env).some((name) => name.startsWith("AUTH_MICROSOFT_ENTRA_ID_") && process.env[name])) {
    throw new Error("End-to-end tests run only against the simulated tenant: unset AUTH_MICROSOFT_ENTRA_ID_*.");
  }
}
