package io.ipnpipeline.bench.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load generator: a lean HTTP/1.1 client on one NIO selector thread, in the harness JVM, on the same 2 cores
 * as the system under test. Whatever CPU it burns per request the gateway cannot have, so it does the least an
 * honest client must: keep-alive connections, one request at a time per connection (no pipelining), each request
 * written as one buffer (request line, Host, Content-Type, {@code x-nowpayments-sig}, Content-Length, body), and
 * each answer read completely (status line, headers, a Content-Length or chunked body) before it counts. Up to
 * {@code connections} connections are opened on demand; requests beyond that wait for a free one, in order.
 * Three modes:
 * <ul>
 *   <li>{@link #saturate}: closed loop, {@code concurrency} requests always outstanding; counts answers.</li>
 *   <li>{@link #fixedRate}: open loop at a fixed offered rate; each latency runs from the request's
 *       <em>scheduled</em> send time, so a stalled server (or a request waiting for a connection) cannot hide
 *       its stall (no coordinated omission).</li>
 *   <li>{@link #sendAll}: every body until it is answered 200, as NOWPayments retries.</li>
 * </ul>
 */
public final class HttpLoad implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpLoad.class);
    private static final long RESEND_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

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

    /** Called on the client's thread with each answer (status -1: no answer, connection failed). */
    public interface Listener {
        /** Just before request {@code index} is sent (on the sending thread). */
        default void sending(int index, long scheduledNanos) {
        }

        void answered(int index, int status, long scheduledNanos, long answeredNanos);
    }

    /** What to do with one answer, on the client's thread. */
    private interface Answer {
        void answered(int status);
    }

    private record Request(SignedBody body, Answer answer) {
    }

    private record Timer(long atNanos, Runnable task) {
    }

    private final InetSocketAddress address;
    private final byte[] head;
    private final int maxConnections;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> Long.compare(a.atNanos, b.atNanos));
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    private final List<Connection> all = new ArrayList<>();
    private volatile boolean running = true;
    private int open;

    public HttpLoad(int port, String path, int connections) {
        this.address = new InetSocketAddress("127.0.0.1", port);
        this.head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nContent-Type: application/json\r\nx-nowpayments-sig: ").getBytes(StandardCharsets.US_ASCII);
        this.maxConnections = connections;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.thread = new Thread(this::run, "http-load");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Closed loop for {@code warmup + measure}; only answers that arrive inside the measure window count.
     * Bodies are taken in turn from {@code bodies} (index wraps).
     */
    public Saturation saturate(IntFunction<SignedBody> bodies, int concurrency, Duration warmup, Duration measure) {
        long windowStart = System.nanoTime() + warmup.toNanos();
        long windowEnd = windowStart + measure.toNanos();
        long[] counts = new long[4]; // ok, rejected, failed, all: touched by the client's thread only
        AtomicLong next = new AtomicLong();
        CountDownLatch loops = new CountDownLatch(concurrency);
        execute(() -> {
            for (int i = 0; i < concurrency; i++) {
                loop(bodies, next, windowStart, windowEnd, counts, loops);
            }
        });
        await(loops, warmup.plus(measure).plusSeconds(30));
        long[] result = new long[4];
        CountDownLatch copied = new CountDownLatch(1);
        execute(() -> {
            System.arraycopy(counts, 0, result, 0, 4);
            copied.countDown();
        });
        await(copied, Duration.ofSeconds(10));
        return new Saturation(result[0], result[1], result[2], measure.toNanos() / 1e9, result[3]);
    }

    private void loop(IntFunction<SignedBody> bodies, AtomicLong next, long windowStart, long windowEnd,
            long[] counts, CountDownLatch done) {
        if (System.nanoTime() >= windowEnd) {
            done.countDown();
            return;
        }
        submit(new Request(bodies.apply((int) next.getAndIncrement()), status -> {
            long now = System.nanoTime();
            counts[3]++;
            if (now >= windowStart && now < windowEnd) {
                counts[status == 200 ? 0 : status < 0 ? 2 : 1]++;
            }
            loop(bodies, next, windowStart, windowEnd, counts, done);
        }));
    }

    /**
     * Offers {@code count} requests at {@code perSecond} and waits up to 30 s after the last for every answer;
     * returns how many never came. This thread keeps the schedule and hands each request to the client's
     * thread as it falls due. The listener gets each answer with its scheduled send time, so a late client
     * thread, or a request waiting for a free connection, counts against the latency too.
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
            execute(() -> submit(new Request(body, status -> {
                try {
                    listener.answered(index, status, scheduled, System.nanoTime());
                } finally {
                    answered.countDown();
                }
            })));
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
     * NOWPayments retries) after 50 ms; returns how many resends it took.
     */
    public long sendAll(List<SignedBody> bodies, int concurrency) {
        AtomicLong next = new AtomicLong();
        AtomicLong resends = new AtomicLong();
        CountDownLatch done = new CountDownLatch(bodies.size());
        execute(() -> {
            for (int i = 0; i < concurrency; i++) {
                sendNext(bodies, next, resends, done);
            }
        });
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
        submit(new Request(body, status -> {
            if (status == 200) {
                then.run();
            } else {
                resends.incrementAndGet();
                timers.add(new Timer(System.nanoTime() + RESEND_DELAY_NANOS, () -> sendUntilOk(body, resends, then)));
            }
        }));
    }

    // ---- the client's thread ----

    /** Runs {@code task} on the client's thread. */
    private void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    private void run() {
        try {
            while (running) {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                long timeoutMillis = runDueTimers();
                selector.select(timeoutMillis);
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                LOG.error("load generator stopped", e);
            }
        } finally {
            closeAll();
        }
    }

    /** Runs what is due; returns how long select may sleep (0: until woken). */
    private long runDueTimers() {
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().atNanos <= now) {
            timers.poll().task.run();
        }
        if (timers.isEmpty()) {
            return 0;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(timers.peek().atNanos - now));
    }

    private void submit(Request request) {
        Connection connection = idle.poll();
        if (connection != null) {
            connection.send(request);
        } else if (open < maxConnections) {
            connect(request);
        } else {
            waiting.add(request);
        }
    }

    private void connect(Request first) {
        open++;
        try {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Connection connection = new Connection(channel, first);
            all.add(connection);
            if (channel.connect(address)) {
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                connection.connected();
            } else {
                connection.key = channel.register(selector, SelectionKey.OP_CONNECT, connection);
            }
        } catch (IOException e) {
            open--;
            answerLater(first, -1);
        }
    }

    /** A failure is answered on the next turn of the loop, so a dead server cannot recurse into a deep stack. */
    private void answerLater(Request request, int status) {
        timers.add(new Timer(System.nanoTime(), () -> request.answer.answered(status)));
    }

    private void handle(SelectionKey key) {
        Connection connection = (Connection) key.attachment();
        if (!key.isValid()) {
            return;
        }
        try {
            if (key.isConnectable()) {
                connection.channel.finishConnect();
                key.interestOps(SelectionKey.OP_READ);
                connection.connected();
                return;
            }
            if (key.isWritable()) {
                connection.flush();
            }
            if (key.isReadable()) {
                connection.read();
            }
        } catch (IOException e) {
            connection.fail();
        }
    }

    /** A connection is free again: the oldest waiting request takes it. */
    private void released(Connection connection) {
        Request request = waiting.poll();
        if (request != null) {
            connection.send(request);
        } else {
            idle.add(connection);
        }
    }

    private void closeAll() {
        for (Connection connection : all) {
            try {
                connection.channel.close();
            } catch (IOException e) {
                LOG.debug("closing a load connection: {}", e.toString());
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the load selector: {}", e.toString());
        }
    }

    /** One keep-alive connection with at most one request outstanding. */
    private final class Connection {
        private final SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer out = ByteBuffer.allocate(4096);
        private ByteBuffer in = ByteBuffer.allocate(4096);
        private Request current;
        private boolean closeAfter;

        private Connection(SocketChannel channel, Request first) {
            this.channel = channel;
            this.current = first;
        }

        void connected() throws IOException {
            Request first = current;
            current = null;
            send(first);
        }

        void send(Request request) {
            current = request;
            encode(request.body);
            try {
                flush();
            } catch (IOException e) {
                fail();
            }
        }

        private void encode(SignedBody body) {
            byte[] signature = body.signature().getBytes(StandardCharsets.US_ASCII);
            byte[] length = Integer.toString(body.body().length).getBytes(StandardCharsets.US_ASCII);
            int size = head.length + signature.length + 18 + length.length + 4 + body.body().length;
            if (out.capacity() < size) {
                out = ByteBuffer.allocate(size);
            }
            out.clear();
            out.put(head).put(signature).put("\r\nContent-Length: ".getBytes(StandardCharsets.US_ASCII))
                    .put(length).put((byte) '\r').put((byte) '\n').put((byte) '\r').put((byte) '\n')
                    .put(body.body()).flip();
        }

        void flush() throws IOException {
            channel.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        void read() throws IOException {
            if (!in.hasRemaining()) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
            int read = channel.read(in);
            if (read < 0) {
                fail();
                return;
            }
            int complete = Responses.complete(in.array(), in.position());
            if (complete == 0) {
                return;
            }
            if (current == null) {
                throw new IOException("an answer nobody asked for");
            }
            int status = Responses.status(in.array());
            closeAfter = Responses.closes(in.array(), complete);
            in.clear(); // no pipelining: nothing can follow the answer
            Request answered = current;
            current = null;
            answered.answer.answered(status);
            if (closeAfter) {
                close();
            } else {
                released(this);
            }
        }

        /** The connection broke: the request on it (if any) failed; later requests get a new connection. */
        void fail() {
            Request failed = current;
            current = null;
            close();
            if (failed != null) {
                answerLater(failed, -1);
            }
        }

        private void close() {
            idle.remove(this);
            all.remove(this);
            open--;
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing a load connection: {}", e.toString());
            }
            Request request = waiting.poll();
            if (request != null) {
                connect(request);
            }
        }
    }

    /** Just enough of an HTTP/1.1 response parser: where an answer ends, its status, whether it closes. */
    static final class Responses {

        private Responses() {
        }

        /** The length of the complete answer at the start of {@code bytes[0..size)}, or 0 if it is not complete. */
        static int complete(byte[] bytes, int size) {
            int headerEnd = indexOf(bytes, 0, size, "\r\n\r\n");
            if (headerEnd < 0) {
                return 0;
            }
            int bodyStart = headerEnd + 4;
            long length = headerValueNumber(bytes, headerEnd, "content-length:");
            if (length >= 0) {
                return size >= bodyStart + length ? (int) (bodyStart + length) : 0;
            }
            if (headerContains(bytes, headerEnd, "transfer-encoding:", "chunked")) {
                return chunkedEnd(bytes, bodyStart, size);
            }
            return bodyStart; // no body framing: a 1xx/204/304-like answer without a body
        }

        /** The three digits after "HTTP/1.1 ". */
        static int status(byte[] bytes) {
            return (bytes[9] - '0') * 100 + (bytes[10] - '0') * 10 + (bytes[11] - '0');
        }

        static boolean closes(byte[] bytes, int size) {
            int headerEnd = indexOf(bytes, 0, size, "\r\n\r\n");
            return headerContains(bytes, headerEnd, "connection:", "close");
        }

        private static int chunkedEnd(byte[] bytes, int from, int size) {
            int at = from;
            while (true) {
                int lineEnd = indexOf(bytes, at, size, "\r\n");
                if (lineEnd < 0) {
                    return 0;
                }
                int chunk = 0;
                for (int i = at; i < lineEnd && Character.digit(bytes[i], 16) >= 0; i++) {
                    chunk = chunk * 16 + Character.digit(bytes[i], 16);
                }
                at = lineEnd + 2;
                if (chunk == 0) {
                    if (size >= at + 2 && bytes[at] == '\r' && bytes[at + 1] == '\n') {
                        return at + 2; // no trailers
                    }
                    return indexEnd(bytes, at, size);
                }
                at += chunk + 2;
                if (at > size) {
                    return 0;
                }
            }
        }

        private static int indexEnd(byte[] bytes, int from, int size) {
            int end = indexOf(bytes, from, size, "\r\n\r\n");
            return end < 0 ? 0 : end + 4;
        }

        /** A header's value as a number, or -1 when the header is absent. Names are case-insensitive. */
        private static long headerValueNumber(byte[] bytes, int headerEnd, String name) {
            int at = headerStart(bytes, headerEnd, name);
            if (at < 0) {
                return -1;
            }
            while (bytes[at] == ' ') {
                at++;
            }
            long value = 0;
            while (bytes[at] >= '0' && bytes[at] <= '9') {
                value = value * 10 + (bytes[at++] - '0');
            }
            return value;
        }

        private static boolean headerContains(byte[] bytes, int headerEnd, String name, String token) {
            int at = headerStart(bytes, headerEnd, name);
            if (at < 0) {
                return false;
            }
            int lineEnd = indexOf(bytes, at, headerEnd + 2, "\r\n");
            String value = new String(bytes, at, lineEnd - at, StandardCharsets.US_ASCII);
            return value.toLowerCase(Locale.ROOT).contains(token);
        }

        /** Where the value of header {@code name} (lower case, with its colon) starts, or -1. */
        private static int headerStart(byte[] bytes, int headerEnd, String name) {
            int line = indexOf(bytes, 0, headerEnd, "\r\n") + 2;
            while (line > 1 && line < headerEnd) {
                if (startsWithIgnoreCase(bytes, line, headerEnd, name)) {
                    return line + name.length();
                }
                int next = indexOf(bytes, line, headerEnd, "\r\n");
                line = next < 0 ? -1 : next + 2;
            }
            return -1;
        }

        private static boolean startsWithIgnoreCase(byte[] bytes, int at, int limit, String lowerCase) {
            if (at + lowerCase.length() > limit) {
                return false;
            }
            for (int i = 0; i < lowerCase.length(); i++) {
                int b = bytes[at + i];
                if (b >= 'A' && b <= 'Z') {
                    b += 'a' - 'A';
                }
                if (b != lowerCase.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private static int indexOf(byte[] bytes, int from, int size, String ascii) {
            int last = size - ascii.length();
            outer:
            for (int i = from; i <= last; i++) {
                for (int j = 0; j < ascii.length(); j++) {
                    if (bytes[i + j] != ascii.charAt(j)) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
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
        running = false;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
