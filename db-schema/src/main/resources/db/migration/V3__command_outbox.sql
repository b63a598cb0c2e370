-- sink-writer: the command outbox and what makes "first transition to finished" exact.

-- Commands are written here in the same PostgreSQL transaction as the ledger change that caused them, and
-- published to Kafka by the sink's OutboxPublisher in Kafka transactions that also record the publisher's
-- position (the last outbox_id published) on the outbox position topic. The sink takes a transaction-scoped
-- advisory lock before inserting here, so outbox_id order is commit order and a reader that has seen id N
-- can never later see a smaller id appear.
CREATE TABLE command_outbox (
    outbox_id   BIGSERIAL PRIMARY KEY,
    -- invite:{payment_id} / payout:{payment_id}: at most one row per command, ever
    command_id  TEXT NOT NULL CONSTRAINT command_outbox_command_id_key UNIQUE,
    kind        TEXT NOT NULL CONSTRAINT command_outbox_kind_check CHECK (kind IN ('invite', 'payout')),
    -- the Kafka key: payment_id as a decimal string
    message_key TEXT NOT NULL,
    payload     JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX command_outbox_created_at_idx ON command_outbox (created_at);

-- The id of the transaction that set finished_at. The ledger upsert returns
-- (finished_xact = pg_current_xact_id()), which is true only for the statement that made the payment's first
-- transition to finished, even when another transaction touched the same row concurrently. xid8 never wraps.
ALTER TABLE payments ADD COLUMN finished_xact XID8;
