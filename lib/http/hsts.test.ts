import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { HSTS_VALUE, strictTransportSecurity } from "./hsts";
import { FORM_BODY_LIMIT, FORM_BODY_LIMIT_BYTES } from "./limits";

describe("strictTransportSecurity", () => {
  it("asks browsers for https for a year, subdomains included, when the portal's URL is https", () => {
    expect(strictTransportSecurity("https://consent.contoso.com")).toBe("max-age=31536000; includeSubDomains");
    expect(HSTS_VALUE).toBe("max-age=31536000; includeSubDomains");
  });

  it.each(["http://localhost:3000", "http://consent.contoso.com", undefined])("sends none for %s", (authUrl) => {
    expect(strictTransportSecurity(authUrl)).toBeNull();
  });
});

describe("the form size limit", () => {
  it("is the same in next.config.js (Next's own check) as in proxy.ts's", () => {
    const config = createRequire(import.meta.url)("../../next.config.js") as { experimental: { serverActions: { bodySizeLimit: string } } };
    expect(config.experimental.serverActions.bodySizeLimit).toBe(FORM_BODY_LIMIT);
    expect(FORM_BODY_LIMIT).toBe(`${FORM_BODY_LIMIT_BYTES / 1024}kb`);
  });
});
