package io.ipnpipeline.gateway.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts status polls per order id in a bounded map (least recently polled evicted), so the gateway can say
 * "an order was polled more than N times" without an order id ever becoming a metric label. The landing page
 * polls every 5 s, so 50 polls is a customer who has watched "processing" for about four minutes.
 */
public final class PollTracker {

    public static final int DEFAULT_LIMIT = 50;
    public static final int DEFAULT_CAPACITY = 10_000;

    private final int limit;
    private final Map<String, Integer> polls;

    public PollTracker(int limit, int capacity) {
        this.limit = limit;
        this.polls = new LinkedHashMap<>(Math.min(capacity, 1_024), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records one poll; says whether it is beyond the limit, and whether it is the first one that is. */
    public synchronized Poll record(String orderKey) {
        int count = polls.merge(orderKey, 1, Integer::sum);
        return count <= limit ? Poll.WITHIN : count == limit + 1 ? Poll.CROSSED : Poll.BEYOND;
    }

    public synchronized int tracked() {
        return polls.size();
    }

    /** Where one poll stands against the limit. */
    public enum Poll {
        WITHIN,
        /** The first poll over the limit for this order. */
        CROSSED,
        BEYOND
    }
}
