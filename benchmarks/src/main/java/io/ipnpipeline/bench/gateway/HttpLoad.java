package io.ipnpipeline.bench.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The load generator: Vert.x core's HTTP/1.1 client (keep-alive, no pipelining) on one event loop, in the
 * harness JVM, on the same 2 cores as the system under test. Two modes:
 * <ul>
 *   <li>{@link #saturate}: closed loop, {@code connections} requests always outstanding; counts answers.</li>
 *   <li>{@link #fixedRate}: open loop at a fixed offered rate; each latency runs from the request's
 *       <em>scheduled</em> send time, so a stalled server cannot hide its stall (no coordinated omission).</li>
 * </ul>
 */
public final class HttpLoad implements AutoCloseable {

    /** One request to send: a body and its {@code x-nowpayments-sig}. */
    public record SignedBody(long paymentId, byte[] body, String signature) {
    }

    /** Answers counted in a saturation window. */
    /** {@code answeredInAll} counts the warm-up's answers too (for CPU per request over the whole call). */
    public record Saturation(long ok, long rejected, long failed, double seconds, long answeredInAll) {
        public double okPerSecond() {
            return ok / seconds;
        }
    }

    /** Called on the client's event loop with each answer (status -1: no answer, connection failed). */
    public interface Listener {
        /** Just before request {@code index} is sent (on the sending thread). */
        default void sending(int index, long scheduledNanos) {
        }

        void answered(int index, int status, long scheduledNanos, long answeredNanos);
    }

    private final Vertx vertx;
    private final HttpClientAgent client;
    private final String path;

    public HttpLoad(int port, String path, int connections) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        this.client = vertx.createHttpClient(new HttpClientOptions()
                        .setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true).setPipelining(false),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        this.path = path;
    }

    private Future<Integer> post(SignedBody signed) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
                .putHeader("content-type", "application/json")
                .putHeader("x-nowpayments-sig", signed.signature());
        return client.request(options)
                .compose(request -> request.send(Buffer.buffer(signed.body())))
                .compose(response -> response.body().map(ignored -> response.statusCode()));
    }

    /**
     * Closed loop for {@code warmup + measure}; only answers that arrive inside the measure window count.
     * Bodies are taken in turn from {@code bodies} (index wraps).
     */
    public Saturation saturate(IntFunction<SignedBody> bodies, int concurrency, Duration warmup, Duration measure) {
        long windowStart = System.nanoTime() + warmup.toNanos();
        long windowEnd = windowStart + measure.toNanos();
        AtomicLong next = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong all = new AtomicLong();
        CountDownLatch loops = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            vertx.runOnContext(ignored -> loop(bodies, next, windowStart, windowEnd,
                    new Counts(ok, rejected, failed, all), loops));
        }
        await(loops, warmup.plus(measure).plusSeconds(30));
        return new Saturation(ok.get(), rejected.get(), failed.get(), measure.toNanos() / 1e9, all.get());
    }

    private record Counts(AtomicLong ok, AtomicLong rejected, AtomicLong failed, AtomicLong all) {
    }

    private void loop(IntFunction<SignedBody> bodies, AtomicLong next, long windowStart, long windowEnd,
            Counts counts, CountDownLatch done) {
        if (System.nanoTime() >= windowEnd) {
            done.countDown();
            return;
        }
        post(bodies.apply((int) next.getAndIncrement())).onComplete(result -> {
            long now = System.nanoTime();
            counts.all().incrementAndGet();
            if (now >= windowStart && now < windowEnd) {
                if (result.failed()) {
                    counts.failed().incrementAndGet();
                } else if (result.result() == 200) {
                    counts.ok().incrementAndGet();
                } else {
                    counts.rejected().incrementAndGet();
                }
            }
            loop(bodies, next, windowStart, windowEnd, counts, done);
        });
    }

    /**
     * Offers {@code count} requests at {@code perSecond} and waits up to 30 s after the last for every answer;
     * returns how many never came. This thread keeps the schedule; each request is issued on the client's
     * event loop (the client is driven from its own context only). The listener gets each answer with its
     * scheduled send time, so a late event loop counts against the latency too.
     */
    public long fixedRate(IntFunction<SignedBody> bodies, int count, int perSecond, Listener listener) {
        long period = 1_000_000_000L / perSecond;
        long start = System.nanoTime() + 20_000_000L;
        CountDownLatch answered = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            long scheduled = start + i * period;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            SignedBody body = bodies.apply(i);
            listener.sending(index, scheduled);
            vertx.runOnContext(ignored -> post(body).onComplete(result -> {
                try {
                    listener.answered(index, result.succeeded() ? result.result() : -1, scheduled, System.nanoTime());
                } finally {
                    answered.countDown();
                }
            }));
        }
        try {
            answered.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return answered.getCount();
    }

    /**
     * Sends every body once, {@code concurrency} at a time, resending any that is not answered 200 (as
     * NOWPayments retries); returns how many resends it took.
     */
    public long sendAll(List<SignedBody> bodies, int concurrency) {
        AtomicLong next = new AtomicLong();
        AtomicLong resends = new AtomicLong();
        CountDownLatch done = new CountDownLatch(bodies.size());
        for (int i = 0; i < concurrency; i++) {
            vertx.runOnContext(ignored -> sendNext(bodies, next, resends, done));
        }
        await(done, Duration.ofMinutes(30));
        return resends.get();
    }

    private void sendNext(List<SignedBody> bodies, AtomicLong next, AtomicLong resends, CountDownLatch done) {
        int index = (int) next.getAndIncrement();
        if (index < bodies.size()) {
            sendUntilOk(bodies.get(index), resends, () -> {
                done.countDown();
                sendNext(bodies, next, resends, done);
            });
        }
    }

    private void sendUntilOk(SignedBody body, AtomicLong resends, Runnable then) {
        post(body).onComplete(result -> {
            if (result.succeeded() && result.result() == 200) {
                then.run();
            } else {
                resends.incrementAndGet();
                vertx.setTimer(50, id -> sendUntilOk(body, resends, then));
            }
        });
    }

    private static void await(CountDownLatch latch, Duration timeout) {
        try {
            if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("load generator: answers still missing after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            client.close().await(5, TimeUnit.SECONDS);
            vertx.close().await(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("load generator did not close", e);
        }
    }
}
