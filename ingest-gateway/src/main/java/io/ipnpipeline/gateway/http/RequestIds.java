package io.ipnpipeline.gateway.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: random (version 4) UUIDs, drawn from {@link ThreadLocalRandom} rather than {@link UUID#randomUUID},
 * whose SecureRandom is shared by every event loop. An id correlates a response, a Kafka record and a log line;
 * it guards nothing, so it need not be unpredictable, only unique in practice (122 random bits).
 */
public final class RequestIds {

    private RequestIds() {
    }

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(high, low).toString();
    }
}
