// @ts-check

/** Headers every response carries. */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // A separate build folder lets two checkouts' builds (or a build and a running test stack) coexist.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `npm run build:standalone` (scripts/build-standalone.mjs): a self-contained folder with only the files
  // the server needs, traced, run by scripts/portal-server.mjs (docs/deploy.md). Other builds run from the tree.
  ...(process.env.PORTAL_STANDALONE_BUILD === "1" ? { output: /** @type {const} */ ("standalone") } : {}),
  poweredByHeader: false,
  experimental: {
    // forbidden() renders app/forbidden.tsx with a real 403 status.
    authInterrupts: true,
    // S23: what the largest form needs, not Next's 1 MB; the same as FORM_BODY_LIMIT in lib/http/limits.ts
    // (a test keeps them equal), where proxy.ts answers a larger post with a plain message.
    serverActions: { bodySizeLimit: "512kb" },
  },
  reactStrictMode: true,
  // Server-only packages that must not be bundled (native drivers, the generated Prisma client's runtime).
  serverExternalPackages: ["pg", "pg-copy-streams", "@prisma/adapter-pg", "@azure/msal-node"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

module.exports = nextConfig;
