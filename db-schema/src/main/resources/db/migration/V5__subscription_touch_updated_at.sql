-- The status API answers with the newer of the ledger row and the subscription row, so private_channel_users_database's
-- updated_at must move whenever the row changes. The sink sets it explicitly; the bot's own SQL (a renewal resetting
-- the row to 'pending') may not. A change that leaves updated_at as it was gets now(); a writer that sets updated_at
-- itself keeps its value, and an UPDATE that changes nothing changes nothing (a replay keeps the tables identical).
-- The WHEN clause is evaluated without calling the function, so the sink's updates (which set updated_at) cost nothing.
CREATE FUNCTION private_channel_users_touch() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW IS DISTINCT FROM OLD THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER private_channel_users_touch
    BEFORE UPDATE ON private_channel_users_database
    FOR EACH ROW
    WHEN (NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at)
    EXECUTE FUNCTION private_channel_users_touch();
