-- Least-privilege roles for ipn-pipeline. Run it as the owner of the pipeline's schema (the role that runs the
-- Flyway migrations, e.g. the local stack's init step), AFTER migrating, with search_path set to the pipeline's
-- schema (the grants apply to current_schema()), and run it AGAIN AFTER EVERY UPGRADE that migrates: the grants
-- below name the tables that exist now. Idempotent: running it again on an unchanged schema changes nothing.
--
-- Until it is run again, tables and sequences a later migration creates get the sink's default privileges (set at
-- the end, for objects this owner creates): without them an upgrade (e.g. V5 -> V6, which added command_issued and
-- command_outbox_published) would leave ipn_sink without rights on the new tables and its command publisher failing
-- on every retry. Running the script again replaces them with the exact grants for each table.
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
    g record;
BEGIN
    EXECUTE 'REVOKE ALL ON ALL TABLES IN SCHEMA ' || s || ' FROM ipn_gateway, ipn_sink, ipn_registry';
    EXECUTE 'GRANT USAGE ON SCHEMA ' || s || ' TO ipn_gateway, ipn_sink, ipn_registry';

    -- A table a migration has not created yet is passed over, so the script runs at any schema version (and a
    -- deployment that ran it before an upgrade gets the new tables' exact grants by running it again).
    FOR g IN SELECT * FROM (VALUES
        ('payments', 'SELECT', 'ipn_gateway'),
        ('private_channel_users_database', 'SELECT', 'ipn_gateway'),
        ('main_clients_database', 'SELECT', 'ipn_gateway'),
        ('payments', 'SELECT, INSERT, UPDATE', 'ipn_sink'),
        ('private_channel_users_database', 'SELECT, INSERT, UPDATE', 'ipn_sink'),
        ('command_outbox', 'SELECT, INSERT, DELETE', 'ipn_sink'),
        ('private_channel_users_database_id_seq', 'USAGE, SELECT', 'ipn_sink'),
        -- UPDATE (setval): after a restore the guard moves the sequence past the position published from Kafka
        ('command_outbox_outbox_id_seq', 'USAGE, SELECT, UPDATE', 'ipn_sink'),
        ('command_issued', 'SELECT, INSERT', 'ipn_sink'),
        ('command_outbox_published', 'SELECT, INSERT, UPDATE', 'ipn_sink'),
        ('main_clients_database', 'SELECT', 'ipn_registry')
    ) AS grants (object, privileges, grantee)
    LOOP
        IF to_regclass(s || '.' || quote_ident(g.object)) IS NOT NULL THEN
            EXECUTE 'GRANT ' || g.privileges || ' ON ' || s || '.' || quote_ident(g.object) || ' TO ' || g.grantee;
        END IF;
    END LOOP;

    EXECUTE 'GRANT TEMPORARY ON DATABASE ' || quote_ident(current_database()) || ' TO ipn_sink';

    -- For objects the owner running this creates later (the migrations of an upgrade): the sink writes every table
    -- added so far, so an upgrade does not stop it before this script is run again. Not DELETE, and nothing for the
    -- read-only roles: a new table they need waits for the re-run (README: after every upgrade).
    EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA ' || s || ' GRANT SELECT, INSERT, UPDATE ON TABLES TO ipn_sink';
    EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA ' || s || ' GRANT USAGE, SELECT ON SEQUENCES TO ipn_sink';
END $$;
