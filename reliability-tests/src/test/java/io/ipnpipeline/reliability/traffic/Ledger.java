package io.ipnpipeline.reliability.traffic;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the test sent and what the gateways answered. Only IPNs answered 2xx go in {@link #acknowledged()}: those
 * are the ones the pipeline promised to keep (contract 1), and the expected state is computed from them alone.
 */
public final class Ledger {

    /** One IPN the gateway acknowledged: which payment, which status word, which gateway said so. */
    public record Acknowledged(PlannedPayment payment, String status, String gateway) {
    }

    private final List<Acknowledged> acknowledged = new CopyOnWriteArrayList<>();
    private final Map<Integer, AtomicLong> answers = new ConcurrentHashMap<>();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong connectionFailures = new AtomicLong();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();

    void attempted() {
        attempts.incrementAndGet();
    }

    void answered(int status) {
        answers.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
    }

    void connectionFailed() {
        connectionFailures.incrementAndGet();
    }

    void acknowledged(PlannedPayment payment, String status, String gateway) {
        acknowledged.add(new Acknowledged(payment, status, gateway));
    }

    void unexpected(String description) {
        unexpected.add(description);
    }

    public List<Acknowledged> acknowledged() {
        return List.copyOf(acknowledged);
    }

    public int acknowledgedCount() {
        return acknowledged.size();
    }

    public long attempts() {
        return attempts.get();
    }

    public long answers(int status) {
        AtomicLong count = answers.get(status);
        return count == null ? 0 : count.get();
    }

    public long connectionFailures() {
        return connectionFailures.get();
    }

    /** Answers a sender must never get for an authentic IPN (anything but 2xx, 503 or a dropped connection). */
    public List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    @Override
    public String toString() {
        return "attempts=" + attempts + " acknowledged=" + acknowledged.size() + " answers=" + answers
                + " connection_failures=" + connectionFailures + " unexpected=" + unexpected.size();
    }
}
