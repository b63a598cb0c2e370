package io.ipnpipeline.gateway.ipn;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.support.config.Env;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class IpnPublisherSettingsTest {

    private final GatewayConfig config = GatewayConfig.fromEnv(Env.of(Map.of(GatewayConfig.IPN_SECRET, "x")));

    @Test
    void durableAndBatched() {
        Map<String, Object> settings = IpnPublisher.producerSettings(config);
        assertThat(settings).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        assertThat((Integer) settings.get(ProducerConfig.BATCH_SIZE_CONFIG)).isBetween(64 * 1024, 256 * 1024);
        assertThat((Integer) settings.get(ProducerConfig.LINGER_MS_CONFIG)).isBetween(1, 20);
    }

    @Test
    void boundedInTimeByThePublishTimeout() {
        Map<String, Object> settings = IpnPublisher.producerSettings(config);
        long timeout = config.publishTimeout().toMillis();
        assertThat(((Number) settings.get(ProducerConfig.MAX_BLOCK_MS_CONFIG)).longValue()).isLessThanOrEqualTo(timeout);
        // the producer gives up within seconds of the 503, not after its two-minute default
        assertThat(((Number) settings.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).longValue())
                .isLessThanOrEqualTo(3 * timeout);
        // the producer's constructor rejects delivery.timeout.ms < linger.ms + request.timeout.ms
        try (var producer = IpnPublisher.createProducer(config)) {
            assertThat(producer).isNotNull();
        }
    }
}
