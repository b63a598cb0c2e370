package io.ipnpipeline.registry.publish;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.registry.table.TableRead;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** The difference between the table and the topic, as the records that repair it. Pure. */
public final class Reconciler {

    private Reconciler() {
    }

    /** Every row that differs from the topic, and a tombstone for every published key without a row. */
    public static List<Change> wholeTable(TableRead table, PublishedState published) {
        TreeSet<String> keys = new TreeSet<>(table.rows().keySet());
        keys.addAll(published.keys());
        return changes(table, published, keys);
    }

    /**
     * The same, limited to {@code keys} (the ids a notification named): {@code table} must be a read of
     * exactly those ids, so an id missing from it is a row that is gone.
     */
    public static List<Change> forKeys(TableRead table, PublishedState published, Collection<String> keys) {
        return changes(table, published, new TreeSet<>(keys));
    }

    private static List<Change> changes(TableRead table, PublishedState published, TreeSet<String> keys) {
        List<Change> changes = new ArrayList<>();
        for (String key : keys) {
            ChannelMapping row = table.rows().get(key);
            if (row != null) {
                if (published.differs(key, row)) {
                    changes.add(new Change.Upsert(key, row));
                }
            } else if (!table.exists(key) && published.holds(key)) {
                changes.add(new Change.Tombstone(key));
            }
        }
        return List.copyOf(changes);
    }
}
