package io.ipnpipeline.gateway.ipn;

/** Why a record was not acknowledged; every kind is answered 503 so NOWPayments retries. */
public final class PublishException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** no broker ack within the publish timeout */
        TIMEOUT,
        /** the producer or broker reported an error */
        PRODUCER_ERROR,
        /** more IPNs in flight than the gateway allows */
        SATURATED
    }

    private final Kind kind;

    public PublishException(Kind kind, String message) {
        // no stack trace: this is an expected outcome, answered and counted, never a bug to debug
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
