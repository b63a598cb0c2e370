package io.ipnpipeline.support.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BufferedStdoutAppenderTest {

    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final BufferedStdoutAppender appender = new BufferedStdoutAppender();

    @BeforeEach
    void start() {
        context.setMDCAdapter(new LogbackMDCAdapter());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %msg%n");
        encoder.start();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setTarget(written);
        appender.setFlushIntervalMs(100);
    }

    @AfterEach
    void stop() {
        appender.stop();
    }

    @Test
    void infoLinesAreHeldBackUntilTheNextFlush() {
        appender.setFlushIntervalMs(60_000);
        appender.start();

        appender.doAppend(event(Level.INFO, "ipn payment_id=1 outcome=accepted"));

        assertThat(text()).isEmpty();
        appender.flush();
        assertThat(text()).isEqualTo("INFO ipn payment_id=1 outcome=accepted\n");
    }

    @Test
    void theFlusherWritesInfoLinesWithinTheInterval() {
        appender.start();

        appender.doAppend(event(Level.INFO, "one"));
        appender.doAppend(event(Level.INFO, "two"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(text()).isEqualTo("INFO one\nINFO two\n"));
    }

    @Test
    void warningsAreWrittenAtOnceWithWhatWasBufferedBefore() {
        appender.setFlushIntervalMs(60_000);
        appender.start();

        appender.doAppend(event(Level.INFO, "before"));
        appender.doAppend(event(Level.WARN, "broker unreachable"));

        assertThat(text()).isEqualTo("INFO before\nWARN broker unreachable\n");
    }

    @Test
    void stoppingFlushesAndLeavesTheTargetOpen() {
        appender.setFlushIntervalMs(60_000);
        appender.start();
        appender.doAppend(event(Level.INFO, "last line"));

        appender.stop();

        assertThat(text()).isEqualTo("INFO last line\n");
        written.write('x');
        assertThat(text()).endsWith("x");
    }

    @Test
    void afterShutdownBeginsEveryLineIsWrittenAtOnce() {
        appender.setFlushIntervalMs(60_000);
        appender.start();
        appender.doAppend(event(Level.INFO, "buffered"));

        appender.flushFromNowOn();
        appender.doAppend(event(Level.INFO, "stopping gateway"));

        assertThat(text()).isEqualTo("INFO buffered\nINFO stopping gateway\n");
    }

    private LoggingEvent event(Level level, String message) {
        Logger logger = context.getLogger("test");
        return new LoggingEvent(Logger.class.getName(), logger, level, message, null, null);
    }

    private String text() {
        return written.toString(StandardCharsets.UTF_8);
    }
}
