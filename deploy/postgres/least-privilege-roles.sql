-- Least-privilege roles for ipn-pipeline. Run once per database as the owner of the pipeline's schema (the role
-- that runs the Flyway migrations, e.g. the local stack's init step), AFTER migrating, with search_path set to the
-- pipeline's schema (the grants apply to current_schema()). Idempotent: running it again changes nothing.
--
-- These are NOLOGIN group roles; give each service its own login in the matching group, e.g.
--   CREATE ROLE gateway_app LOGIN PASSWORD '...' IN ROLE ipn_gateway;
--   CREATE ROLE sink_app    LOGIN PASSWORD '...' IN ROLE ipn_sink;
--   CREATE ROLE registry_app LOGIN PASSWORD '...' IN ROLE ipn_registry;
-- and run the services with SINK_MIGRATE=false (migrations stay with the owner).
--
--   ipn_gateway   the status API: reads the ledger, the subscriptions and the channel registry; writes nothing.
--   ipn_sink      the sink-writer: upserts the ledger and subscriptions, writes and trims the command outbox;
--                 its restore guard records commands already issued and moves the outbox sequence (setval);
--                 it COPYs each batch into session temp tables first, so it needs TEMPORARY on the database
--                 (granted to PUBLIC by default; granted here explicitly in case PUBLIC's was revoked).
--   ipn_registry  the channel-registry publisher: reads main_clients_database (LISTEN needs no grant).
-- Nobody but the owner may change main_clients_database (the bot's own login is the deployment's business).

DO $$
BEGIN
    CREATE ROLE ipn_gateway NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

DO $$
BEGIN
    CREATE ROLE ipn_sink NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

DO $$
BEGIN
    CREATE ROLE ipn_registry NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

DO $$
DECLARE
    s text := quote_ident(current_schema());
BEGIN
    EXECUTE 'REVOKE ALL ON ALL TABLES IN SCHEMA ' || s || ' FROM ipn_gateway, ipn_sink, ipn_registry';
    EXECUTE 'GRANT USAGE ON SCHEMA ' || s || ' TO ipn_gateway, ipn_sink, ipn_registry';

    EXECUTE 'GRANT SELECT ON ' || s || '.payments, ' || s || '.private_channel_users_database, '
        || s || '.main_clients_database TO ipn_gateway';

    EXECUTE 'GRANT SELECT, INSERT, UPDATE ON ' || s || '.payments, ' || s || '.private_channel_users_database '
        || 'TO ipn_sink';
    EXECUTE 'GRANT SELECT, INSERT, DELETE ON ' || s || '.command_outbox TO ipn_sink';
    EXECUTE 'GRANT USAGE, SELECT ON ' || s || '.command_outbox_outbox_id_seq, '
        || s || '.private_channel_users_database_id_seq TO ipn_sink';
    EXECUTE 'GRANT SELECT, INSERT ON ' || s || '.command_issued TO ipn_sink';
    EXECUTE 'GRANT SELECT, INSERT, UPDATE ON ' || s || '.command_outbox_published TO ipn_sink';
    -- setval: after a restore the guard moves the sequence past the position published from Kafka
    EXECUTE 'GRANT UPDATE ON ' || s || '.command_outbox_outbox_id_seq TO ipn_sink';

    EXECUTE 'GRANT TEMPORARY ON DATABASE ' || quote_ident(current_database()) || ' TO ipn_sink';

    EXECUTE 'GRANT SELECT ON ' || s || '.main_clients_database TO ipn_registry';
END $$;
