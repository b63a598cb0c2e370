package io.ipnpipeline.sink.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.support.db.Pools;
import io.ipnpipeline.testsupport.TestSchema;
import org.junit.jupiter.api.Test;

/**
 * The publisher's own session (outside the pool) waits no longer for an answer than a pooled connection does: a
 * server that went silent must cost the publisher its lease and a reconnect, not the operating system's two-hour
 * keepalive while every command waits.
 */
class PublisherLeaseSessionIT {

    @Test
    void theLeaseSessionGivesUpOnASilentServerLikeThePoolDoes() throws Exception {
        try (TestSchema schema = TestSchema.create("lease-session");
                PublisherLease lease = new PublisherLease(schema.databaseConfig(), "lease-session-id", "lease-test")) {
            assertThat(lease.tryAcquire()).isTrue();
            assertThat(lease.connection().getNetworkTimeout()).isEqualTo(Pools.SOCKET_TIMEOUT.toMillis());
        }
    }
}
