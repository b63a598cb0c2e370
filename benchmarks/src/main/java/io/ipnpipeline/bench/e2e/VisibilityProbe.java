package io.ipnpipeline.bench.e2e;

import io.ipnpipeline.bench.gateway.HttpLoad;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToLongFunction;
import javax.sql.DataSource;

/**
 * POST-to-ledger latency: remembers when each IPN was scheduled to be sent and polls the ledger every
 * {@link #POLL_MS} ms for the payments not seen yet; the latency ends at the poll that first sees the row, so
 * it is overstated by at most one poll interval plus the query.
 */
public final class VisibilityProbe implements HttpLoad.Listener, AutoCloseable {

    public static final long POLL_MS = 5;
    private static final String QUERY = "SELECT payment_id FROM payments WHERE payment_id = ANY(?)";

    private final DataSource dataSource;
    private final IntToLongFunction paymentOf;
    private final Map<Long, Long> pending = new ConcurrentHashMap<>();
    private final long[] latencies;
    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicInteger notOk = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread poller;

    public VisibilityProbe(DataSource dataSource, int count, IntToLongFunction paymentOf) {
        this.dataSource = dataSource;
        this.paymentOf = paymentOf;
        this.latencies = new long[count];
        this.poller = new Thread(this::poll, "visibility-probe");
        poller.setDaemon(true);
        poller.start();
    }

    @Override
    public void sending(int index, long scheduledNanos) {
        pending.put(paymentOf.applyAsLong(index), scheduledNanos);
    }

    @Override
    public void answered(int index, int status, long scheduledNanos, long answeredNanos) {
        if (status != 200) {
            notOk.incrementAndGet();
            pending.remove(paymentOf.applyAsLong(index));
        }
    }

    private void poll() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(QUERY)) {
            while (running.get()) {
                List<Long> ids = new ArrayList<>(pending.keySet());
                if (!ids.isEmpty()) {
                    markVisible(connection, query, ids);
                }
                Thread.sleep(POLL_MS);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("visibility probe failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void markVisible(Connection connection, PreparedStatement query, List<Long> ids) throws SQLException {
        Array array = connection.createArrayOf("int8", ids.toArray());
        query.setArray(1, array);
        try (ResultSet rows = query.executeQuery()) {
            long now = System.nanoTime();
            while (rows.next()) {
                Long scheduled = pending.remove(rows.getLong(1));
                if (scheduled != null) {
                    latencies[seen.getAndIncrement()] = now - scheduled;
                }
            }
        }
    }

    /** Waits until nothing is pending or the timeout passes; returns how many never became visible. */
    public int awaitAll(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!pending.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return pending.size();
    }

    public long[] latencies() {
        return latencies;
    }

    public int seen() {
        return seen.get();
    }

    public int notOk() {
        return notOk.get();
    }

    @Override
    public void close() {
        running.set(false);
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
