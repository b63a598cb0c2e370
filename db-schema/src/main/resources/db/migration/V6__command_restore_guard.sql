-- sink-writer: the restore guard, so a command is never published twice even after PostgreSQL comes back from a
-- backup (contract 4).
--
-- After a restore, payments that finished between the backup and the failure have lost their ledger and outbox
-- rows, but their invite and payout are already in Kafka. Re-applying them (a reconcile run, a replay of
-- payments.enriched) looks like a first finish and writes new outbox rows. The publisher notices a restore at
-- start-up (see command_outbox_published), reads commands.invite and commands.payout back from Kafka and records
-- every command_id found there in command_issued; it never publishes an outbox row whose command_id is recorded.
-- Empty unless a restore (or a crash that left the mark behind) was detected, so the publisher's page read pays a
-- join against an empty table on the normal path, and the sink's insert path pays nothing.
CREATE TABLE command_issued (
    command_id  TEXT PRIMARY KEY,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The publisher's position (the last outbox_id committed to Kafka) as PostgreSQL last heard it, written after the
-- Kafka commit (at most once a second under load, when idle, and at a clean stop). It can only lag the position in
-- Kafka; a database restored from a backup carries the backup's older mark. At start-up a Kafka position beyond
-- this mark means "commands may have been issued that this database does not know of", and the guard runs. The
-- outbox sequence cannot tell this reliably: pg_dump reads it after its snapshot, and WAL replay moves it up to 32
-- ahead, so a restored sequence can lie past ids whose rows the backup does not have.
CREATE TABLE command_outbox_published (
    publisher   TEXT PRIMARY KEY,
    position    BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
