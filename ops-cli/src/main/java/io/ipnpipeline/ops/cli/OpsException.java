package io.ipnpipeline.ops.cli;

/**
 * An operation could not be done, for a reason an operator can act on; the message says what and why. The CLI
 * prints it without a stack trace and exits with {@link #exitCode()}.
 */
public class OpsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Something failed (Kafka, PostgreSQL, the NOWPayments API). */
    public static final int FAILED = 1;
    /** Refused because it would be unsafe now (e.g. the processor is running). */
    public static final int REFUSED = 3;
    /** What was asked for does not exist. */
    public static final int NOT_FOUND = 4;

    /** Kafka or PostgreSQL cannot be reached (or refuses the login): the address or credentials, not the data. */
    public static final int UNREACHABLE = 5;

    private final int exitCode;

    public OpsException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public OpsException(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = FAILED;
    }

    public OpsException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /**
     * A write Kafka did not confirm ({@code what} names the item). After a timeout the record may have landed all
     * the same (appended, the answer lost or late), which the operator must read, with what a re-run does
     * ({@code afterTimeout}); any other error is given as Kafka's.
     */
    public static OpsException unconfirmed(String what, Exception e, String afterTimeout) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        boolean timedOut = cause instanceof java.util.concurrent.TimeoutException
                || cause instanceof org.apache.kafka.common.errors.TimeoutException;
        return new OpsException(what + ": " + cause + (timedOut ? "; " + afterTimeout : ""), e);
    }

    public int exitCode() {
        return exitCode;
    }
}
