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

    public int exitCode() {
        return exitCode;
    }
}
