import { describe, expect, it } from "vitest";
import { clientIp, normalizeIp } from "./client-ip";

const SPOOF = '=HYPERLINK("http://evil.example"';

describe("normalizeIp", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    [" 203.0.113.7 ", "203.0.113.7"],
    ["203.0.113.7:50123", "203.0.113.7"],
    ["2001:DB8::1", "2001:db8::1"],
    ["[2001:db8::1]:443", "2001:db8::1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["::1", "::1"],
  ])("keeps the address in %j as %j", (input, expected) => {
    expect(normalizeIp(input)).toBe(expected);
  });

  it.each([SPOOF, "unknown", "", "   ", "203.0.113", "203.0.113.7.8", "999.1.1.1", "localhost", "evil.example", "203.0.113.7, 10.0.0.1", "1.2.3.4<script>", `${"1".repeat(70)}`, null, undefined])(
    "gives null for %j",
    (input) => {
      expect(normalizeIp(input)).toBeNull();
    },
  );
});

describe("clientIp", () => {
  it("takes the socket's peer and ignores X-Forwarded-For when no proxy is trusted", () => {
    expect(clientIp({ socketAddress: "198.51.100.20", forwardedFor: "203.0.113.7", trustedHops: 0 })).toBe("198.51.100.20");
    expect(clientIp({ socketAddress: "::ffff:198.51.100.20", forwardedFor: SPOOF, trustedHops: 0 })).toBe("198.51.100.20");
  });

  it("gives null, not the header, when the socket's peer is unknown and no proxy is trusted", () => {
    expect(clientIp({ socketAddress: null, forwardedFor: "203.0.113.7", trustedHops: 0 })).toBeNull();
    expect(clientIp({ socketAddress: SPOOF, forwardedFor: "203.0.113.7", trustedHops: 0 })).toBeNull();
  });

  it("takes the n-th entry from the right with n trusted proxies, whatever the client prepended", () => {
    // The client wrote the first two entries; proxy 1 appended the client's address, proxy 2 proxy 1's.
    const forwardedFor = `${SPOOF}, 192.0.2.1, 203.0.113.7, 10.0.0.5`;
    expect(clientIp({ socketAddress: "10.0.0.9", forwardedFor, trustedHops: 1 })).toBe("10.0.0.5");
    expect(clientIp({ socketAddress: "10.0.0.9", forwardedFor, trustedHops: 2 })).toBe("203.0.113.7");
    expect(clientIp({ socketAddress: "10.0.0.9", forwardedFor: "203.0.113.7:50123", trustedHops: 1 })).toBe("203.0.113.7");
  });

  it("gives null when the trusted entry is not an address", () => {
    expect(clientIp({ socketAddress: "10.0.0.9", forwardedFor: `192.0.2.1, ${SPOOF}`, trustedHops: 1 })).toBeNull();
    expect(clientIp({ socketAddress: "10.0.0.9", forwardedFor: "203.0.113.7, , 10.0.0.5", trustedHops: 2 })).toBeNull();
  });

  it("gives null when the chain is shorter than the trusted hops or missing (it cannot be attributed)", () => {
    expect(clientIp({ socketAddress: "10.0.0.9", forwardedFor: "203.0.113.7", trustedHops: 2 })).toBeNull();
    expect(clientIp({ socketAddress: "10.0.0.9", forwardedFor: null, trustedHops: 1 })).toBeNull();
    expect(clientIp({ socketAddress: "10.0.0.9", forwardedFor: "", trustedHops: 1 })).toBeNull();
  });
});
