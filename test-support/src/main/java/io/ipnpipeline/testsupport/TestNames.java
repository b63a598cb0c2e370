package io.ipnpipeline.testsupport;

import io.ipnpipeline.contracts.topic.TopicNames;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unique names, so tests that share one broker and one database never see each other's topics, consumer
 * groups, application ids or schemas.
 */
public final class TestNames {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestNames() {
    }

    /** {@code base-<n>-<random>}, lower case, usable as a topic prefix, application id or group id. */
    public static String unique(String base) {
        String cleaned = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        String prefix = cleaned.isEmpty() ? "t" : cleaned.substring(0, Math.min(cleaned.length(), 40));
        return prefix + "-" + COUNTER.incrementAndGet() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    /** Every topic of {@code Topics}, prefixed with a unique name, e.g. {@code gateway-3-a1f2.ipn.raw}. */
    public static TopicNames topics(String base) {
        return TopicNames.withPrefix(unique(base) + ".");
    }

    /**
     * A unique PostgreSQL identifier (lower case letters, digits, underscores), e.g. {@code t_sink_4_9c1d};
     * the {@code t_} keeps it clear of the reserved {@code pg_} prefix and of a leading digit.
     */
    public static String schema(String base) {
        return "t_" + unique(base).replace('-', '_');
    }
}
