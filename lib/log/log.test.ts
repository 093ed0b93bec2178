import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, requestContext } from "./index";

/** A logger whose lines land in an array, parsed. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { log: createLogger(stream), lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

describe("logger()", () => {
  it("writes one JSON object per line with level, time and message", () => {
    const { log, parsed } = capture();
    log.info({ job: "notifications" }, "job ran");
    const [line] = parsed();
    expect(line).toMatchObject({ level: "info", msg: "job ran", job: "notifications", service: "admin-consent-portal" });
    expect(typeof line!.time).toBe("string");
  });

  it("carries the request id of the request being handled, and none outside a request", async () => {
    const { log, parsed } = capture();
    await requestContext.run({ requestId: "r-123" }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.info({ graph: { requestId: "g-1" } }, "graph call");
    });
    log.info("outside");
    const [inside, outside] = parsed();
    expect(inside).toMatchObject({ requestId: "r-123", graph: { requestId: "g-1" } });
    expect(outside).not.toHaveProperty("requestId");
  });

  it("never writes a token: not in fields named like secrets, not in messages, not in errors", () => {
    const { log, lines } = capture();
    log.info({ accessToken: "opaque-value-123", clientSecret: "s3cr3t-value", headers: { authorization: `Bearer ${JWT}`, cookie: "authjs.session-token=abc" } }, "call");
    log.info(`refreshing with ${JWT}`);
    log.warn("header was Bearer abcdefghijklmnop");
    log.error({ err: new Error(`Graph said no to ${JWT}`) }, "failed");
    log.error(new Error(`thrown with ${JWT}`));
    const text = lines.join("\n");
    expect(lines).toHaveLength(5);
    for (const secret of ["eyJ", "opaque-value-123", "s3cr3t-value", "abcdefghijklmnop", "authjs.session-token=abc"]) expect(text).not.toContain(secret);
    expect(text).toContain("Graph said no to [redacted]");
  });
});
