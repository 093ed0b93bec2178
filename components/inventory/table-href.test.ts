import { describe, expect, it } from "vitest";
import { hrefWith } from "./table-href";

describe("inventory table links", () => {
  it("changes the sort and keeps the filters, starting again from the first page", () => {
    expect(hrefWith("/inventory", "risk=High&cursor=abc&hide=users", { sort: "name", dir: null, cursor: null })).toBe("/inventory?risk=High&hide=users&sort=name");
  });

  it("drops the last parameter to the bare address", () => {
    expect(hrefWith("/inventory", "hide=users", { hide: null })).toBe("/inventory");
  });
});
