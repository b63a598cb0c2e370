-- sink-writer: one index fewer on the outbox's hot insert path (two rows per finished payment).
--
-- created_at served only the publisher's housekeeping DELETE (once a minute). That DELETE now walks the primary key from its
-- start up to the first row still inside the retention window (outbox_id order is commit order, see V3), so it
-- reads exactly the rows it deletes and needs no index of its own; every insert saves one index entry.
DROP INDEX IF EXISTS command_outbox_created_at_idx;
