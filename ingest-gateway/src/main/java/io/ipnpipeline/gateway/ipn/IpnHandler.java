package io.ipnpipeline.gateway.ipn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipnpipeline.contracts.ipn.IpnParser;
import io.ipnpipeline.contracts.ipn.IsoInstants;
import io.ipnpipeline.contracts.signature.CanonicalJson;
import io.ipnpipeline.contracts.signature.UnreadableBodyException;
import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.gateway.http.Responses;
import io.ipnpipeline.gateway.ops.GatewayMetrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /ipn} (and {@code POST /}): checks an IPN and publishes its exact bytes to {@code ipn.raw}.
 *
 * <p>Order of checks, cheapest and least revealing first: 413 (size, enforced while reading the body), then
 * 400 if the body is not a JSON object at all (a signature is computed over a re-serialised object, so there is
 * nothing to verify), then 401 for a missing or wrong signature, then 400 for an authentic body without a
 * numeric {@code payment_id}. So an unauthenticated caller learns nothing about what the gateway would accept
 * beyond "send JSON". Only then is the record published, and 200 is answered only after the broker's ack.
 */
public final class IpnHandler {

    private static final Logger LOG = LoggerFactory.getLogger(IpnHandler.class);

    public static final String SIGNATURE_HEADER = "x-nowpayments-sig";
    public static final String ROUTE = "/ipn";
    /** Seconds NOWPayments (or anyone) should wait after a 503 for an unavailable Kafka. */
    static final int RETRY_AFTER_UNAVAILABLE = 5;
    static final int RETRY_AFTER_SATURATED = 1;
    /** The signature-failure reasons counted. */
    static final String MISSING_SIGNATURE = "missing";
    static final String WRONG_SIGNATURE = "mismatch";

    /** Encoded once: Vert.x writes a slice of it, so one buffer serves every response. */
    private static final Buffer ACCEPTED = Buffer.buffer("{\"status\":\"accepted\"}");

    private final String topic;
    private final SignatureCheck signatures;
    private final IpnPublisher publisher;
    private final GatewayMetrics metrics;
    private final int maxInFlight;

    public IpnHandler(String topic, SignatureCheck signatures, IpnPublisher publisher, GatewayMetrics metrics,
            int maxInFlight) {
        this.topic = topic;
        this.signatures = signatures;
        this.publisher = publisher;
        this.metrics = metrics;
        this.maxInFlight = maxInFlight;
        metrics.declare(ROUTE, Arrays.stream(Outcome.values()).map(Outcome::word).toList(),
                List.of(MISSING_SIGNATURE, WRONG_SIGNATURE));
    }

    /** Called by {@link IpnEndpoint} with the whole body, read within the limit. */
    void handle(IpnCall call, byte[] body) {
        long started = System.nanoTime();
        Instant receivedAt = Instant.now();
        Optional<ObjectNode> object = parseObject(body);
        if (object.isEmpty()) {
            answer(call, started, null, Outcome.BAD_REQUEST, "body is not a JSON object");
            return;
        }
        String signature = call.request().getHeader(SIGNATURE_HEADER);
        if (signature == null || signature.isBlank()) {
            metrics.signatureFailure(MISSING_SIGNATURE);
            answer(call, started, null, Outcome.BAD_SIGNATURE, "missing " + SIGNATURE_HEADER + " header");
            return;
        }
        Optional<SignatureCheck.Match> match = signatures.verify(object.get(), signature);
        if (match.isEmpty()) {
            metrics.signatureFailure(WRONG_SIGNATURE);
            answer(call, started, null, Outcome.BAD_SIGNATURE, "invalid signature");
            return;
        }
        Optional<Long> paymentId = IpnParser.paymentId(object.get());
        if (paymentId.isEmpty()) {
            answer(call, started, null, Outcome.BAD_REQUEST, "no numeric payment_id");
            return;
        }
        publish(call, started, record(call, body, paymentId.get(), match.get(), receivedAt), paymentId.get());
    }

    private void publish(IpnCall call, long started, ProducerRecord<String, byte[]> record, long paymentId) {
        if (metrics.inFlight().incrementAndGet() > maxInFlight) {
            metrics.inFlight().decrementAndGet();
            Responses.retryAfter(call.response(), RETRY_AFTER_SATURATED);
            answer(call, started, paymentId, Outcome.SATURATED, "too many IPNs in flight, retry shortly");
            return;
        }
        publisher.publish(record).onComplete(result -> {
            metrics.inFlight().decrementAndGet();
            published(call, started, paymentId, result);
        });
    }

    private void published(IpnCall call, long started, long paymentId, AsyncResult<Void> result) {
        if (result.succeeded()) {
            metrics.request(ROUTE, Outcome.ACCEPTED.word);
            log(call.requestId(), paymentId, Outcome.ACCEPTED, started);
            Responses.json(call.response(), 200, ACCEPTED);
            return;
        }
        Outcome outcome = result.cause() instanceof PublishException failure
                && failure.kind() == PublishException.Kind.SATURATED ? Outcome.SATURATED : Outcome.UNAVAILABLE;
        int retryAfter = outcome == Outcome.SATURATED ? RETRY_AFTER_SATURATED : RETRY_AFTER_UNAVAILABLE;
        Responses.retryAfter(call.response(), retryAfter);
        answer(call, started, paymentId, outcome, "IPN not stored, retry later");
    }

    private ProducerRecord<String, byte[]> record(IpnCall call, byte[] body, long paymentId,
            SignatureCheck.Match match, Instant receivedAt) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(HeaderNames.IPN_RECEIVED_AT, IsoInstants.format(receivedAt).getBytes(StandardCharsets.US_ASCII));
        header(headers, HeaderNames.IPN_REQUEST_ID, call.requestId());
        header(headers, HeaderNames.IPN_REMOTE_ADDRESS, remoteAddress(call));
        header(headers, HeaderNames.IPN_SIGNATURE_FORM, match.form());
        header(headers, HeaderNames.IPN_SECRET, match.secretName());
        header(headers, HeaderNames.IPN_SOURCE, HeaderNames.SOURCE_GATEWAY);
        return new ProducerRecord<>(topic, null, Long.toString(paymentId), body, headers);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The peer of the connection. Forwarded headers are never trusted, so this is the connection's peer, as
     * the router (which allows none) gave it.
     */
    private static String remoteAddress(IpnCall call) {
        SocketAddress address = call.request().connection().remoteAddress();
        return address == null ? "" : address.hostAddress();
    }

    /**
     * Parsed once, as JavaScript's JSON.parse would (strict UTF-8, one value, no trailing bytes): the same tree
     * is verified and gives the payment id, so what is checked is what is published.
     */
    static Optional<ObjectNode> parseObject(byte[] body) {
        try {
            JsonNode root = CanonicalJson.parse(body);
            return root instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
        } catch (UnreadableBodyException notJson) {
            return Optional.empty();
        }
    }

    private void answer(IpnCall call, long started, Long paymentId, Outcome outcome, String message) {
        metrics.request(ROUTE, outcome.word);
        log(call.requestId(), paymentId, outcome, started);
        Responses.error(call.response(), call.requestId(), outcome.status, message);
    }

    /** The one INFO line per IPN: never the body, the signature or anything personal. */
    public static void log(String requestId, Long paymentId, Outcome outcome, long startedNanos) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        // built directly: one line per IPN is the hot path's biggest allocation; the text is what the
        // "{}" message used to print (latency in ms with three decimals at most)
        long micros = (System.nanoTime() - startedNanos) / 1_000;
        StringBuilder line = new StringBuilder(128).append("ipn payment_id=")
                .append(paymentId == null ? "-" : paymentId.toString())
                .append(" outcome=").append(outcome.word)
                .append(" status=").append(outcome.status)
                .append(" request_id=").append(requestId)
                .append(" latency_ms=");
        appendMillis(line, micros);
        LOG.info(line.toString());
    }

    /**
     * {@code micros / 1000.0} as {@code Double.toString} prints it (no trailing zeros, at least one decimal), without
     * formatting a double: milliseconds, then up to three decimals.
     */
    static void appendMillis(StringBuilder line, long micros) {
        line.append(micros / 1_000).append('.');
        int fraction = (int) (micros % 1_000);
        if (fraction == 0) {
            line.append('0');
            return;
        }
        int digits = 3;
        while (fraction % 10 == 0) {
            fraction /= 10;
            digits--;
        }
        for (int shown = Integer.toString(fraction).length(); shown < digits; shown++) {
            line.append('0');
        }
        line.append(fraction);
    }

    /** What happened to one IPN, as counted and logged. */
    public enum Outcome {
        ACCEPTED("accepted", 200),
        BAD_REQUEST("bad_request", 400),
        BAD_SIGNATURE("bad_signature", 401),
        TOO_LARGE("too_large", 413),
        TIMEOUT("timeout", 408),
        FORBIDDEN_SOURCE("forbidden_source", 403),
        SATURATED("saturated", 503),
        UNAVAILABLE("unavailable", 503),
        /** The client closed its connection before its answer; nginx's "client closed request" code, never sent. */
        ABORTED("aborted", 499);

        private final String word;
        private final int status;

        Outcome(String word, int status) {
            this.word = word;
            this.status = status;
        }

        public String word() {
            return word;
        }

        public int status() {
            return status;
        }
    }
}
