package io.ipnpipeline.registry.listen;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payloads the V2 migration's trigger sends on {@link #CHANNEL}: {@code I:<id>}, {@code U:<id>},
 * {@code D:<id>}, or {@code T} after a TRUNCATE. The operation is informational: the publisher re-reads every
 * named id, so what it publishes is the row as committed (or a tombstone when it is gone).
 */
public final class ChangeNotifications {

    /** Must match the channel in db-schema's V2__registry_notify.sql. */
    public static final String CHANNEL = "main_clients_database_changed";

    private static final Logger LOG = LoggerFactory.getLogger(ChangeNotifications.class);

    private ChangeNotifications() {
    }

    /** What a batch of notifications asks for: these ids re-read, or (when unsure) the whole table. */
    public record Batch(Set<Long> ids, boolean wholeTable) {
        public Batch {
            ids = Set.copyOf(ids);
        }

        public boolean isEmpty() {
            return ids.isEmpty() && !wholeTable;
        }
    }

    /** An unknown payload asks for the whole table: a notification is never ignored because it looks odd. */
    public static Batch parse(Collection<String> payloads) {
        Set<Long> ids = new LinkedHashSet<>();
        boolean wholeTable = false;
        for (String payload : payloads) {
            Long id = idOf(payload);
            if (id == null) {
                wholeTable = true;
            } else {
                ids.add(id);
            }
        }
        return new Batch(ids, wholeTable);
    }

    private static Long idOf(String payload) {
        if (payload == null || payload.length() < 3 || payload.charAt(1) != ':' || "IUD".indexOf(payload.charAt(0)) < 0) {
            if (!"T".equals(payload)) {
                LOG.warn("unexpected notification payload on {}, resyncing the whole table: '{}'", CHANNEL, payload);
            }
            return null;
        }
        try {
            return Long.parseLong(payload.substring(2));
        } catch (NumberFormatException e) {
            LOG.warn("unexpected notification payload on {}, resyncing the whole table: '{}'", CHANNEL, payload);
            return null;
        }
    }
}
