-- Herald schema, version 4: dead letters get a narrow table of their own, written only when a delivery
-- becomes FAILED or DEAD and removed when it is replayed or purged. Until now herald_delivery_state
-- carried dead_letter_tenant and an index on it, so every state insert and update (publish, claim,
-- outcome) also removed and re-added the row in that index (H2 2.3 does so in every index of a table on
-- each UPDATE), although only FAILED and DEAD rows need it: three B-trees per state update, now two.
--
-- A row of herald_dead_letters exists exactly while its delivery is FAILED or DEAD. It holds what the
-- listing reads in index order (tenant, id); status and everything else come from the state row.
--
-- Every statement is harmless when repeated (H2 commits each DDL statement on its own, so a crash can
-- stop a run half-way): the copy reads the status, not the column dropped at the end, and skips rows
-- already copied.

CREATE TABLE IF NOT EXISTS herald_dead_letters (
    -- herald_delivery_state.seq
    seq    BIGINT       NOT NULL PRIMARY KEY,
    -- the delivery's id, for the listing's order and the join to herald_deliveries
    id     VARCHAR(64)  NOT NULL,
    tenant VARCHAR(128) NOT NULL
);
-- Dead letters (FAILED, DEAD) of a tenant, newest first.
CREATE INDEX IF NOT EXISTS herald_dead_letters_tenant ON herald_dead_letters (tenant, id DESC);

-- Existing dead letters stay listed.
INSERT INTO herald_dead_letters (seq, id, tenant)
    SELECT s.seq, s.id, d.tenant
    FROM herald_delivery_state s JOIN herald_deliveries d ON d.id = s.id
    WHERE s.status IN ('FAILED', 'DEAD')
    AND NOT EXISTS (SELECT 1 FROM herald_dead_letters l WHERE l.seq = s.seq);

DROP INDEX IF EXISTS herald_delivery_state_dead_letters;
ALTER TABLE herald_delivery_state DROP COLUMN IF EXISTS dead_letter_tenant;
