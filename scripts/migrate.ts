import { localEmbeddedDatabaseUrl } from "./lib/embedded-database";
import { migrate } from "./lib/migrate";

// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database of a
// running `npm start` (with the password from its data folder). npm start and npm test migrate themselves.
async function main() {
  const url = process.env.DATABASE_URL || localEmbeddedDatabaseUrl();
  const applied = await migrate(url);
  console.log(applied.length ? `${applied.length} migration(s) applied.` : "Database is up to date.");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
