package io.ipnpipeline.contracts.topic;

/** Every Kafka header name the pipeline writes or reads. Values are UTF-8 text. */
public final class HeaderNames {

    /** ISO-8601 instant at which the gateway received the IPN. */
    public static final String IPN_RECEIVED_AT = "ipn.received_at";
    /** The gateway's id for the HTTP request, also in its log line. */
    public static final String IPN_REQUEST_ID = "ipn.request_id";
    /** The peer address of the HTTP request. */
    public static final String IPN_REMOTE_ADDRESS = "ipn.remote_address";
    /** Which signature form matched: {@code deep-sorted} or {@code top-level-replacer}. */
    public static final String IPN_SIGNATURE_FORM = "ipn.signature_form";
    /** Which configured secret matched: {@code current} or {@code previous}. Never the secret itself. */
    public static final String IPN_SECRET = "ipn.secret";
    /** Where the record came from: {@link #SOURCE_GATEWAY} or {@link #SOURCE_RECONCILIATION}. */
    public static final String IPN_SOURCE = "ipn.source";
    public static final String SOURCE_GATEWAY = "gateway";
    public static final String SOURCE_RECONCILIATION = "reconciliation";
    /** When an operator sent the record back from the dead-letter topic (ISO-8601); absent on a first delivery. */
    public static final String IPN_REDRIVEN_AT = "ipn.redriven_at";
    /**
     * An operator's decision to place a repeated deposit (a payment with {@code parent_payment_id} set) as a payment
     * of its own; the value is the payment_id decided on. Honoured only on a reconciliation record (see
     * {@link IpnProvenance#repeatedDepositAccepted}): the gateway writes no such header.
     */
    public static final String IPN_ACCEPT_REPEATED_DEPOSIT = "ipn.accept_repeated_deposit";

    /** Dead-letter headers: why, and where the record was read from. */
    public static final String DLQ_REASON = "dlq.reason";
    public static final String DLQ_SOURCE_TOPIC = "dlq.source_topic";
    public static final String DLQ_SOURCE_PARTITION = "dlq.source_partition";
    public static final String DLQ_SOURCE_OFFSET = "dlq.source_offset";
    public static final String DLQ_FAILED_AT = "dlq.failed_at";

    private HeaderNames() {
    }
}
