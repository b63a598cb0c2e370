package io.ipnpipeline.contracts.command;

/** Deterministic command ids, so every consumer can dedupe too (design.md). */
public final class CommandIds {

    /** The Kafka header that carries the command id next to the same field in the value. */
    public static final String HEADER = "command_id";

    private CommandIds() {
    }

    public static String invite(long paymentId) {
        return "invite:" + paymentId;
    }

    public static String payout(long paymentId) {
        return "payout:" + paymentId;
    }
}
