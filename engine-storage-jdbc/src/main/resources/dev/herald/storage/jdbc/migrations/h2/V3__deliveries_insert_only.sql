-- Herald schema, version 3 (H2): herald_deliveries loses the columns V2 moved to herald_delivery_state.
-- One statement, so a crash leaves either all of them or none.
ALTER TABLE herald_deliveries DROP COLUMN IF EXISTS status, attempts, next_attempt_at, last_error, updated_at,
    claimable_at, lease_owner, lease_until, dead_letter_tenant;
