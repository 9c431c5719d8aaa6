-- Herald schema, version 2: what changes about a delivery moves out of herald_deliveries into a narrow
-- table of its own. herald_deliveries keeps what never changes after publish (tenant, event, endpoint,
-- creation time) and the listing indexes over it, so claims and outcomes no longer touch those indexes:
-- H2 2.3 removes and re-adds a row in every index of its table on each UPDATE, whether the indexed
-- columns changed or not, and PostgreSQL writes a new entry in every index when an indexed column
-- changes. V3 then drops the moved columns from herald_deliveries.
--
-- Every statement is harmless when repeated (H2 commits each DDL statement on its own, so a crash can
-- stop a run half-way): the copy skips rows already copied.

-- One row per delivery, written at publish, updated by every claim, outcome, release and replay.
CREATE TABLE IF NOT EXISTS herald_delivery_state (
    id              VARCHAR(64)   NOT NULL PRIMARY KEY,
    status          VARCHAR(16)   NOT NULL,
    attempts        INTEGER       NOT NULL,
    next_attempt_at BIGINT        NOT NULL,
    last_error      VARCHAR(2048),
    updated_at      BIGINT        NOT NULL,
    -- next_attempt_at until final, then NULL; a claim leaves it alone (see Dialect)
    claimable_at    BIGINT,
    lease_owner     VARCHAR(256),
    lease_until     BIGINT,
    -- the tenant while FAILED or DEAD, else NULL (see V1)
    dead_letter_tenant VARCHAR(128),
    -- The latest attempt, kept here until another attempt of the same delivery moves it to
    -- herald_attempts: a delivery that succeeds at its first attempt never writes an attempt row.
    attempt_id              VARCHAR(64),
    attempt_number          INTEGER,
    attempt_started_at      BIGINT,
    attempt_duration_micros BIGINT,
    attempt_response_status INTEGER,
    attempt_response_body   VARCHAR(4096),
    attempt_error_kind      VARCHAR(32),
    attempt_error_message   VARCHAR(2048)
);

-- Existing deliveries keep their state; their attempts stay in herald_attempts.
INSERT INTO herald_delivery_state (id, status, attempts, next_attempt_at, last_error, updated_at, claimable_at,
        lease_owner, lease_until, dead_letter_tenant)
    SELECT d.id, d.status, d.attempts, d.next_attempt_at, d.last_error, d.updated_at, d.claimable_at,
        d.lease_owner, d.lease_until, d.dead_letter_tenant
    FROM herald_deliveries d
    WHERE NOT EXISTS (SELECT 1 FROM herald_delivery_state s WHERE s.id = d.id);

-- The only indexes that claims and outcomes change. Claims: due SCHEDULED deliveries and expired
-- leases, in due order; its NULL entries are the final deliveries, which retention reads.
CREATE INDEX IF NOT EXISTS herald_delivery_state_claimable ON herald_delivery_state (claimable_at);
-- Dead letters (FAILED, DEAD) of a tenant, newest first.
CREATE INDEX IF NOT EXISTS herald_delivery_state_dead_letters ON herald_delivery_state (dead_letter_tenant, id DESC);

DROP INDEX IF EXISTS herald_deliveries_claimable;
DROP INDEX IF EXISTS herald_deliveries_dead_letters;
