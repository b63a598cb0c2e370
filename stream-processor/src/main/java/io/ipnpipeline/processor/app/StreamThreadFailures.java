package io.ipnpipeline.processor.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.TaskAssignmentException;
import org.apache.kafka.streams.errors.TopologyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a failed stream thread means. Every record-level failure is dead-lettered by the handlers, so what
 * reaches here is infrastructure trouble. A transient one (a broker restart, a timeout) is worth a fresh thread,
 * which retries from the last committed transaction. A fatal one (the topics no longer fit the application's state,
 * e.g. partitions were added to ipn.raw) fails every new thread the same way: replacing it forever left the
 * processor REBALANCING, "ready" and processing nothing, with no process exit for a supervisor to see. Those, and
 * any failure that keeps coming back, shut the client down, so Streams goes to ERROR and {@code main} exits 1.
 */
final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {

    public static final String REPLACED = "ipn.processor.stream_thread.replaced";
    /** More failures than this within {@link #WINDOW} are not transient, whatever they look like. */
    static final int LIMIT = 3;
    static final Duration WINDOW = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailures.class);
    /** Kafka Streams' words for an internal topic whose partition count differs from its source's (no own type). */
    private static final Pattern INVALID_PARTITIONS = Pattern.compile("has invalid partitions");

    private final Counter replaced;
    private final LongSupplier nanoTime;
    private final Deque<Long> recent = new ArrayDeque<>();
    private volatile String fatalCause;

    StreamThreadFailures(MeterRegistry registry, LongSupplier nanoTime) {
        // registered at 0 so the first replacement after a restart shows as an increase
        this.replaced = Counter.builder(REPLACED)
                .description("stream threads that failed and were replaced by a new one")
                .register(registry);
        this.nanoTime = nanoTime;
    }

    StreamThreadFailures(MeterRegistry registry) {
        this(registry, System::nanoTime);
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        Optional<String> fatal = fatalReason(exception).or(() -> tooFrequent());
        if (fatal.isPresent()) {
            fatalCause = fatal.get();
            LOG.error("stream thread failed for good: {}; shutting the processor down (Streams goes to ERROR, "
                    + "the process exits 1)", fatalCause, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replaced.increment();
        LOG.error("stream thread failed ({} of {} allowed within {}), replacing it", recent.size(), LIMIT, WINDOW,
                exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Why the last failure shut the processor down, if one did. */
    Optional<String> fatalCause() {
        return Optional.ofNullable(fatalCause);
    }

    /** Failures that a new thread cannot get past: the same topics and state fail it the same way. */
    static Optional<String> fatalReason(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (INVALID_PARTITIONS.matcher(message).find()) {
                return Optional.of("the partition count of a source topic no longer matches the application's "
                        + "state (were partitions added to ipn.raw? see README 'Changing the partition count of ipn.raw'): "
                        + message);
            }
            if (cause instanceof MissingSourceTopicException || cause instanceof TopologyException
                    || cause instanceof TaskAssignmentException) {
                return Optional.of(cause.getClass().getSimpleName() + ": " + message);
            }
        }
        return Optional.empty();
    }

    private Optional<String> tooFrequent() {
        long now = nanoTime.getAsLong();
        recent.addLast(now);
        while (now - recent.peekFirst() > WINDOW.toNanos()) {
            recent.removeFirst();
        }
        return recent.size() > LIMIT
                ? Optional.of("stream threads failed " + recent.size() + " times within " + WINDOW)
                : Optional.empty();
    }
}
