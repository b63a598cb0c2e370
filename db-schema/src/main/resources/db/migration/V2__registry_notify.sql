-- channel-registry: the database tells the publisher which channels changed, so a new or changed channel
-- reaches channel.mappings within about a second. The payload is only the operation and the id (NOTIFY
-- payloads are capped at 8000 bytes and queued per database): the publisher re-reads the row, so the topic
-- always carries the row as committed, never a value from inside a transaction that later rolled back.
-- Payload: '<op>:<open_channel_id>' with op I, U or D; 'T' alone after a TRUNCATE (publisher resyncs all).

-- updated_at is maintained here, not by every writer: the published value carries it, and an UPDATE that
-- changes nothing keeps it, so the row's value (and the topic) stays the same.
CREATE FUNCTION main_clients_database_touch() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.updated_at := now();
    ELSIF NEW IS DISTINCT FROM OLD THEN
        NEW.updated_at := now();
    ELSE
        NEW.updated_at := OLD.updated_at;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER main_clients_database_touch
    BEFORE INSERT OR UPDATE ON main_clients_database
    FOR EACH ROW EXECUTE FUNCTION main_clients_database_touch();

-- The channel name is fixed: io.ipnpipeline.registry.listen.ChangeNotifications.CHANNEL.
CREATE FUNCTION main_clients_database_notify() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('main_clients_database_changed', 'T');
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM pg_notify('main_clients_database_changed', 'I:' || NEW.open_channel_id);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('main_clients_database_changed', 'D:' || OLD.open_channel_id);
    ELSIF NEW IS DISTINCT FROM OLD THEN
        -- a changed primary key is a delete of the old id and an insert of the new one
        IF NEW.open_channel_id <> OLD.open_channel_id THEN
            PERFORM pg_notify('main_clients_database_changed', 'D:' || OLD.open_channel_id);
        END IF;
        PERFORM pg_notify('main_clients_database_changed', 'U:' || NEW.open_channel_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER main_clients_database_notify
    AFTER INSERT OR UPDATE OR DELETE ON main_clients_database
    FOR EACH ROW EXECUTE FUNCTION main_clients_database_notify();

CREATE TRIGGER main_clients_database_notify_truncate
    AFTER TRUNCATE ON main_clients_database
    FOR EACH STATEMENT EXECUTE FUNCTION main_clients_database_notify();
