import { migrate } from "./lib/migrate";

// `npm run db:migrate`: applies pending migrations to DATABASE_URL (npm start and npm test do it themselves).
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to the PostgreSQL database to migrate.");
  process.exit(1);
}
migrate(url).then(
  (applied) => console.log(applied.length ? `${applied.length} migration(s) applied.` : "Database is up to date."),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
