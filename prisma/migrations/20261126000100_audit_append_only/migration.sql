-- The audit trail is append-only: reject UPDATE, DELETE and TRUNCATE on "AuditEvent" for every role,
-- including the table owner. Verification (npm run audit:verify) detects changes made by anyone who
-- disables the trigger; on PostgreSQL the app's own role should also hold only INSERT and SELECT
-- (docs/database.md).
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_update_delete
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();

CREATE TRIGGER audit_event_no_truncate
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
