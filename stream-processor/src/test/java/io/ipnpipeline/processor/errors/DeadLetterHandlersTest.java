package io.ipnpipeline.processor.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.processor.metrics.ProcessorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** No record can stop the application: each handler dead-letters the source record and resumes. */
class DeadLetterHandlersTest {

    private static final byte[] RAW_KEY = "42".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RAW_VALUE = "{\"payment_id\":42}".getBytes(StandardCharsets.UTF_8);

    private final ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
    private Map<String, Object> configs;

    @BeforeEach
    void configs() {
        configs = Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "t.ipn.dlq",
                DeadLetterHandlers.METRICS_CONFIG, metrics);
    }

    @Test
    void aProcessingFailureDeadLettersTheSourceRecordAndResumes() {
        DeadLetterHandlers.Processing handler = new DeadLetterHandlers.Processing();
        handler.configure(configs);

        ProcessingExceptionHandler.Response response = handler.handleError(context(),
                new Record<>("42", "parsed", 0L), new IllegalStateException("boom"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertDeadLetter(response.deadLetterQueueRecords().get(0), "processing failed: IllegalStateException: boom");
        assertThat(metrics.count(ProcessorMetrics.DLQ, "stage", "processing")).isEqualTo(1);
    }

    @Test
    void aDeserializationFailureDeadLettersTheRecordAndResumes() {
        DeadLetterHandlers.Deserialization handler = new DeadLetterHandlers.Deserialization();
        handler.configure(configs);

        DeserializationExceptionHandler.Response response = handler.handleError(context(),
                new ConsumerRecord<>("ipn.raw", 2, 17L, RAW_KEY, RAW_VALUE), new SerializationException("bad"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertDeadLetter(response.deadLetterQueueRecords().get(0), "deserialization failed: SerializationException: bad");
    }

    @Test
    void anOutputTooLargeOrUnserialisableIsDeadLetteredWhileBrokerTroubleIsNot() {
        DeadLetterHandlers.Production handler = new DeadLetterHandlers.Production();
        handler.configure(configs);
        ProducerRecord<byte[], byte[]> output = new ProducerRecord<>("payments.enriched", RAW_KEY, RAW_VALUE);

        ProductionExceptionHandler.Response tooLarge = handler.handleError(context(), output,
                new RecordTooLargeException("too large"));
        ProductionExceptionHandler.Response unserialisable = handler.handleSerializationError(context(), output,
                new SerializationException("cannot write"),
                ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);

        assertThat(tooLarge.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertDeadLetter(tooLarge.deadLetterQueueRecords().get(0), "production failed: RecordTooLargeException: too large");
        assertThat(unserialisable.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(unserialisable.deadLetterQueueRecords()).hasSize(1);
        assertThat(handler.handleError(context(), output, new TimeoutException("slow")).result())
                .isEqualTo(ProductionExceptionHandler.Result.RETRY);
        assertThat(handler.handleError(context(), output, new TopicAuthorizationException("no")).result())
                .isEqualTo(ProductionExceptionHandler.Result.FAIL);
    }

    private static void assertDeadLetter(ProducerRecord<byte[], byte[]> dead, String reason) {
        assertThat(dead.topic()).isEqualTo("t.ipn.dlq");
        assertThat(dead.key()).isEqualTo(RAW_KEY);
        assertThat(dead.value()).isEqualTo(RAW_VALUE);
        assertThat(header(dead.headers(), HeaderNames.DLQ_REASON)).isEqualTo(reason);
        assertThat(header(dead.headers(), HeaderNames.DLQ_SOURCE_TOPIC)).isEqualTo("ipn.raw");
        assertThat(header(dead.headers(), HeaderNames.DLQ_SOURCE_PARTITION)).isEqualTo("2");
        assertThat(header(dead.headers(), HeaderNames.DLQ_SOURCE_OFFSET)).isEqualTo("17");
        assertThat(header(dead.headers(), HeaderNames.IPN_REQUEST_ID)).isEqualTo("req-1");
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static ErrorHandlerContext context() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(HeaderNames.IPN_REQUEST_ID, "req-1".getBytes(StandardCharsets.UTF_8));
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return "ipn.raw";
            }

            @Override
            public int partition() {
                return 2;
            }

            @Override
            public long offset() {
                return 17L;
            }

            @Override
            public Headers headers() {
                return headers;
            }

            @Override
            public String processorNodeId() {
                return "place-payment";
            }

            @Override
            public TaskId taskId() {
                return new TaskId(0, 2);
            }

            @Override
            public long timestamp() {
                return 0L;
            }

            @Override
            public byte[] sourceRawKey() {
                return RAW_KEY;
            }

            @Override
            public byte[] sourceRawValue() {
                return RAW_VALUE;
            }
        };
    }
}
