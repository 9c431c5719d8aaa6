-- Herald schema, version 1. Shipped scripts are never edited; a change is a new numbered script.
-- One script serves H2 and PostgreSQL: only types and statements both accept are used.
-- Every statement is idempotent (IF NOT EXISTS), because H2 commits each DDL statement on its own.
-- Instants are BIGINT microseconds since the epoch, UTC: see JdbcDeliveryStore.
-- Listing indexes end in "id DESC": H2 reads an index in one direction only, and lists are newest first.
-- Lengths match dev.herald.storage.jdbc.Limits, which refuses longer values before writing.

CREATE TABLE IF NOT EXISTS herald_endpoints (
    id            VARCHAR(64)    NOT NULL PRIMARY KEY,
    tenant        VARCHAR(128)   NOT NULL,
    url           VARCHAR(2048)  NOT NULL,
    secrets       VARCHAR(8192)  NOT NULL,
    event_types   VARCHAR(8192)  NOT NULL,
    enabled       BOOLEAN        NOT NULL,
    description   VARCHAR(4096)  NOT NULL,
    headers       VARCHAR(16384) NOT NULL,
    max_in_flight INTEGER        NOT NULL,
    rate_limit    INTEGER        NOT NULL,
    ad_hoc        BOOLEAN        NOT NULL,
    created_at    BIGINT         NOT NULL,
    updated_at    BIGINT         NOT NULL
);
-- Listing (newest first) and fan-out of one tenant.
CREATE INDEX IF NOT EXISTS herald_endpoints_tenant ON herald_endpoints (tenant, ad_hoc, id DESC);

CREATE TABLE IF NOT EXISTS herald_events (
    id              VARCHAR(64)      NOT NULL PRIMARY KEY,
    tenant          VARCHAR(128)     NOT NULL,
    event_type      VARCHAR(256)     NOT NULL,
    occurred_at     BIGINT           NOT NULL,
    data            VARCHAR(1048576) NOT NULL,
    subject         VARCHAR(512),
    idempotency_key VARCHAR(512)
);
-- One event per key and tenant; rows without a key (NULL) never collide.
CREATE UNIQUE INDEX IF NOT EXISTS herald_events_idempotency ON herald_events (tenant, idempotency_key);
-- Retention of events that never had a delivery.
CREATE INDEX IF NOT EXISTS herald_events_occurred ON herald_events (occurred_at);

-- No foreign keys: a publish writes an event and its deliveries in one transaction, and purge removes
-- them in the right order; checking a key on every insert would only slow the hot path.
CREATE TABLE IF NOT EXISTS herald_deliveries (
    id              VARCHAR(64)   NOT NULL PRIMARY KEY,
    tenant          VARCHAR(128)  NOT NULL,
    event_id        VARCHAR(64)   NOT NULL,
    event_type      VARCHAR(256)  NOT NULL,
    endpoint_id     VARCHAR(64)   NOT NULL,
    status          VARCHAR(16)   NOT NULL,
    attempts        INTEGER       NOT NULL,
    next_attempt_at BIGINT        NOT NULL,
    last_error      VARCHAR(2048),
    created_at      BIGINT        NOT NULL,
    updated_at      BIGINT        NOT NULL,
    -- next_attempt_at until final, then NULL; a claim leaves it alone (see Dialect)
    claimable_at    BIGINT,
    lease_owner     VARCHAR(256),
    lease_until     BIGINT,
    -- the tenant while FAILED or DEAD, else NULL: a partial index on dead letters that both databases
    -- can build, and that claims and successful outcomes never touch
    dead_letter_tenant VARCHAR(128)
);
-- Every index costs on the hot path (H2 copies each touched index page, twice counting the commit), so
-- there are few, and the only one that claims and outcomes change is on a number: a claim moves the claim
-- index not at all, an outcome one entry; the other indexes only change when a row is inserted.
--
-- Claims: due SCHEDULED deliveries and expired leases alike, in due order. Its NULL entries are the
-- final deliveries, which retention reads.
CREATE INDEX IF NOT EXISTS herald_deliveries_claimable ON herald_deliveries (claimable_at);
-- A tenant's deliveries, newest first; filters on the frequent states scan it.
CREATE INDEX IF NOT EXISTS herald_deliveries_tenant ON herald_deliveries (tenant, id DESC);
-- Dead letters (FAILED, DEAD) of a tenant, newest first.
CREATE INDEX IF NOT EXISTS herald_deliveries_dead_letters ON herald_deliveries (dead_letter_tenant, id DESC);
-- The delivery log of an endpoint, and replay of an endpoint.
CREATE INDEX IF NOT EXISTS herald_deliveries_endpoint ON herald_deliveries (endpoint_id, id DESC);
-- Deliveries of an event, and the check that an event has none left.
CREATE INDEX IF NOT EXISTS herald_deliveries_event ON herald_deliveries (event_id, id DESC);

CREATE TABLE IF NOT EXISTS herald_attempts (
    id              VARCHAR(64)   NOT NULL PRIMARY KEY,
    delivery_id     VARCHAR(64)   NOT NULL,
    attempt_number  INTEGER       NOT NULL,
    started_at      BIGINT        NOT NULL,
    duration_micros BIGINT        NOT NULL,
    response_status INTEGER       NOT NULL,
    response_body   VARCHAR(4096) NOT NULL,
    error_kind      VARCHAR(32),
    error_message   VARCHAR(2048)
);
CREATE INDEX IF NOT EXISTS herald_attempts_delivery ON herald_attempts (delivery_id, attempt_number);

CREATE TABLE IF NOT EXISTS herald_uploads (
    id             VARCHAR(64)   NOT NULL PRIMARY KEY,
    tenant         VARCHAR(128)  NOT NULL,
    batch_id       VARCHAR(64),
    provider       VARCHAR(32)   NOT NULL,
    bucket         VARCHAR(255)  NOT NULL,
    object_key     VARCHAR(1024) NOT NULL,
    filename       VARCHAR(1024) NOT NULL,
    content_type   VARCHAR(255)  NOT NULL,
    expected_size  BIGINT,
    triggers       VARCHAR(64)   NOT NULL,
    endpoint_id    VARCHAR(64)   NOT NULL,
    metadata       VARCHAR(65536) NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    url_expires_at BIGINT        NOT NULL,
    expires_at     BIGINT        NOT NULL,
    next_check_at  BIGINT,
    checks         INTEGER       NOT NULL,
    observed_size  BIGINT,
    observed_etag  VARCHAR(256),
    last_modified  BIGINT,
    failure_reason VARCHAR(64),
    created_at     BIGINT        NOT NULL,
    updated_at     BIGINT        NOT NULL,
    version        BIGINT        NOT NULL
);
-- Bucket notifications: who watches this object.
CREATE INDEX IF NOT EXISTS herald_uploads_object ON herald_uploads (bucket, object_key);
-- The poller: uploads due for a check.
CREATE INDEX IF NOT EXISTS herald_uploads_due ON herald_uploads (next_check_at);
-- Status of a batch.
CREATE INDEX IF NOT EXISTS herald_uploads_batch ON herald_uploads (tenant, batch_id, id);
