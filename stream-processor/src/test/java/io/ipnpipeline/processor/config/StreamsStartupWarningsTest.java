package io.ipnpipeline.processor.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ipnpipeline.processor.metrics.ProcessorMetrics;
import io.ipnpipeline.processor.topology.PaymentTopology;
import io.ipnpipeline.support.config.Env;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Creating the processor's KafkaStreams (no broker needed until start) logs no warning about settings it does
 * set: an operator who sees "set X" at every start while X is set stops reading warnings.
 */
class StreamsStartupWarningsTest {

    @Test
    void noWarningThatTheGlobalProcessingHandlerIsOff(@TempDir Path stateDir) {
        ProcessorConfig config = ProcessorConfig.fromEnv(Env.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "PROCESSOR_STATE_DIR", stateDir.toString())));
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        try {
            KafkaStreams streams = new KafkaStreams(PaymentTopology.build(config.topics(), Duration.ofDays(35),
                    new ProcessorMetrics(new SimpleMeterRegistry())), config.streamsProperties());
            streams.close(Duration.ofSeconds(5));
        } finally {
            root.detachAppender(events);
        }
        assertThat(events.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(message -> message.contains("processing.exception.handler.global.enabled"));
    }
}
