import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// Prisma's native schema engine cannot be downloaded on every machine, so the CLI runs on its wasm
// engine through the pg driver adapter. The CLI is used only for `prisma generate` and offline
// `prisma migrate diff` when authoring a migration; scripts/migrate.ts applies migrations
// (docs/database.md explains why).
// The schema reads DATABASE_URL; generating the client needs no database, so any placeholder does.
process.env.DATABASE_URL ??= "postgresql://localhost:5432/unused";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }),
});
