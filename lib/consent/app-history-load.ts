import "server-only";
import { auditSql } from "@/lib/audit";
import { listEvents } from "@/lib/audit/query";
import { lastChange, type LastChange } from "./app-history";

/** The app's last delete / block / unblock from the audit trail (its newest 50 succeeded events); null when there is none or the trail cannot be read. */
export async function readLastChange(appId: string): Promise<LastChange | null> {
  try {
    const { events } = await listEvents(auditSql(), { app: appId, outcome: "succeeded" }, { limit: 50 });
    return lastChange(events);
  } catch {
    return null;
  }
}
