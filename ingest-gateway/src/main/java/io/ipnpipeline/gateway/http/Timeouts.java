package io.ipnpipeline.gateway.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One fixed timeout for many short-lived things on the event loops (IPN requests, publish attempts) without a
 * timer for each: Netty's scheduled tasks, set and cancelled thousands of times a second, are a visible share of
 * an event loop. Every watched thing has the same timeout, so deadlines come in the order things are watched:
 * each event loop keeps a queue and one timer, armed for its oldest entry not yet done. Entries that are done
 * leave from the head as new ones arrive, so a queue stays about as long as what is in flight.
 */
public final class Timeouts {

    private final Vertx vertx;
    private final long timeoutNanos;

    /** Something that may run out of time. */
    public interface Watched {
        /** True once it needs no timeout any more (it may be set on another thread). */
        boolean done();

        /** Called on the event loop that watched it, once the timeout has passed and it was not done. */
        void expire();
    }

    public Timeouts(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeoutNanos = timeout.toNanos();
    }

    /** Call on an event loop. */
    public void watch(Watched watched) {
        Context context = vertx.getOrCreateContext();
        Queue queue = context.get(this);
        if (queue == null) {
            queue = new Queue();
            context.put(this, queue);
        }
        queue.add(new Entry(watched, System.nanoTime() + timeoutNanos));
    }

    private record Entry(Watched watched, long deadlineNanos) {
    }

    /** The entries of one event loop, used only on it. */
    private final class Queue {
        private final ArrayDeque<Entry> entries = new ArrayDeque<>();
        private long timer = -1;

        void add(Entry entry) {
            dropDoneHead();
            entries.add(entry);
            arm(System.nanoTime());
        }

        private void dropDoneHead() {
            while (!entries.isEmpty() && entries.peek().watched.done()) {
                entries.poll();
            }
        }

        private void arm(long now) {
            if (timer >= 0 || entries.isEmpty()) {
                return;
            }
            long waitNanos = entries.peek().deadlineNanos - now;
            timer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)), id -> expire());
        }

        private void expire() {
            timer = -1;
            long now = System.nanoTime();
            dropDoneHead();
            while (!entries.isEmpty() && entries.peek().deadlineNanos - now <= 0) {
                Entry late = entries.poll();
                if (!late.watched.done()) {
                    late.watched.expire();
                }
                dropDoneHead();
            }
            arm(now);
        }
    }

    @Override
    public String toString() {
        return "Timeouts[" + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms]";
    }
}
