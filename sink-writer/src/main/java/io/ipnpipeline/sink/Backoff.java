package io.ipnpipeline.sink;

/** Exponential backoff from 100 ms to 5 s; reset after a success. Not thread-safe: one per loop. */
public final class Backoff {

    private static final long FIRST_MS = 100;
    private static final long MAX_MS = 5_000;

    private long nextMs = FIRST_MS;

    public long next() {
        long current = nextMs;
        nextMs = Math.min(MAX_MS, nextMs * 2);
        return current;
    }

    public void reset() {
        nextMs = FIRST_MS;
    }
}
