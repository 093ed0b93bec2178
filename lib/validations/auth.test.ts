import { describe, expect, it } from "vitest";
import { callbackPath } from "./auth";

describe("callbackPath", () => {
  it.each(["/admin", "/review?x=1", "/"])("keeps the local path %s", (path) => {
    expect(callbackPath.parse(path)).toBe(path);
  });

  it.each(["//evil.example/admin", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "admin", "/a b", 42, null])(
    "turns %j into the home page",
    (value) => {
      expect(callbackPath.parse(value)).toBe("/");
    },
  );
});
