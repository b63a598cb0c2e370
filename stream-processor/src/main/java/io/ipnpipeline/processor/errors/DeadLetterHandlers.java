package io.ipnpipeline.processor.errors;

import io.ipnpipeline.processor.metrics.ProcessorMetrics;
import io.ipnpipeline.processor.metrics.ProcessorMetrics.DlqStage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three Kafka Streams exception handlers. Each sends the record that could not be handled to the IPN
 * dead-letter topic, byte for byte as it was read from its source topic, with the reason and source position in
 * headers, and lets processing go on: no single record can stop the application or put it in a crash loop.
 * The dead-letter records are written in the same transaction as the task's other output.
 */
public final class DeadLetterHandlers {

    /** Config key under which the service passes its {@link ProcessorMetrics} to the handlers. */
    public static final String METRICS_CONFIG = "ipnpipeline.processor.metrics";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandlers.class);

    private DeadLetterHandlers() {
    }

    /** What every handler reads from the Streams configuration. */
    abstract static class Base {
        private String deadLetterTopic;
        private ProcessorMetrics metrics = ProcessorMetrics.detached();

        public void configure(Map<String, ?> configs) {
            Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
            if (topic == null || topic.toString().isBlank()) {
                throw new IllegalStateException(
                        StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " must name the IPN dead-letter topic");
            }
            deadLetterTopic = topic.toString();
            if (configs.get(METRICS_CONFIG) instanceof ProcessorMetrics configured) {
                metrics = configured;
            }
        }

        List<ProducerRecord<byte[], byte[]>> deadLetter(DlqStage stage, ErrorHandlerContext context, byte[] key,
                byte[] value, Exception exception) {
            String reason = stage.word() + " failed: " + describe(exception);
            LOG.warn("dead-lettering record from {}-{}@{} ({}): {}", context.topic(), context.partition(),
                    context.offset(), context.processorNodeId(), reason);
            metrics.deadLettered(stage);
            return List.of(new ProducerRecord<>(deadLetterTopic, null, key, value,
                    DeadLetterHeaders.of(context.headers(), reason, context.topic(), context.partition(),
                            context.offset(), Instant.now())));
        }

        private static String describe(Exception exception) {
            String message = exception.getMessage();
            return exception.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        }
    }

    /** A record whose key or value cannot be read. */
    public static final class Deserialization extends Base implements DeserializationExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                Exception exception) {
            return Response.resume(deadLetter(DlqStage.DESERIALIZATION, context, record.key(), record.value(),
                    exception));
        }
    }

    /** A processor threw while handling a record (a bug, or data no test foresaw). */
    public static final class Processing extends Base implements ProcessingExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            return Response.resume(deadLetter(DlqStage.PROCESSING, context, context.sourceRawKey(),
                    context.sourceRawValue(), exception));
        }
    }

    /**
     * An output record that cannot be written because of itself (cannot be serialised, too large). Anything else
     * (broker unavailable, fenced producer) is not the record's fault and is left to Streams' own retry and
     * task recovery.
     */
    public static final class Production extends Base implements ProductionExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                Exception exception) {
            if (exception instanceof RecordTooLargeException) {
                return Response.resume(deadLetter(DlqStage.PRODUCTION, context, context.sourceRawKey(),
                        context.sourceRawValue(), exception));
            }
            return exception instanceof RetriableException ? Response.retry() : Response.fail();
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record,
                Exception exception, SerializationExceptionOrigin origin) {
            Exception cause = exception instanceof SerializationException ? exception
                    : new SerializationException(origin + " cannot be serialised", exception);
            return Response.resume(deadLetter(DlqStage.SERIALIZATION, context, context.sourceRawKey(),
                    context.sourceRawValue(), cause));
        }
    }
}
