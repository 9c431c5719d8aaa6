-- Herald schema, version 3 (PostgreSQL): herald_deliveries loses the columns V2 moved to
-- herald_delivery_state. The migration runs in one transaction on PostgreSQL.
ALTER TABLE herald_deliveries DROP COLUMN IF EXISTS status, DROP COLUMN IF EXISTS attempts,
    DROP COLUMN IF EXISTS next_attempt_at, DROP COLUMN IF EXISTS last_error, DROP COLUMN IF EXISTS updated_at,
    DROP COLUMN IF EXISTS claimable_at, DROP COLUMN IF EXISTS lease_owner, DROP COLUMN IF EXISTS lease_until,
    DROP COLUMN IF EXISTS dead_letter_tenant;
