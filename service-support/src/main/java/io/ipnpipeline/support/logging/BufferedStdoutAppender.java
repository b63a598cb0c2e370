package io.ipnpipeline.support.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Standard output for the one-line-per-IPN logs: lines are buffered and written in large chunks, flushed every
 * {@code flushIntervalMs}, at once for WARN and ERROR, and when logback stops.
 *
 * <p>Why: logback's ConsoleAppender makes one {@code write(2)} per line; at tens of thousands of IPNs per second
 * those system calls cost a service more CPU than formatting the lines. Here an INFO line waits at most the
 * flush interval (default 200 ms) before a log collector sees it; a warning or error is never held back. Once the
 * JVM begins to shut down, the buffer is flushed and every later line is written at once, so a graceful
 * shutdown's last lines are never lost; a JVM killed with SIGKILL can lose at most one interval of INFO lines.
 */
public class BufferedStdoutAppender extends OutputStreamAppender<ILoggingEvent> {

    private int flushIntervalMs = 200;
    private int bufferSize = 64 * 1024;
    private OutputStream target = new FileOutputStream(FileDescriptor.out);
    private ScheduledExecutorService flusher;
    private Thread exitFlush;

    public void setFlushIntervalMs(int flushIntervalMs) {
        this.flushIntervalMs = flushIntervalMs;
    }

    public void setBufferSize(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    /** Tests write somewhere other than file descriptor 1. */
    void setTarget(OutputStream target) {
        this.target = target;
    }

    @Override
    public void start() {
        if (flushIntervalMs < 1 || bufferSize < 1) {
            addError("flushIntervalMs and bufferSize must be positive");
            return;
        }
        setImmediateFlush(false);
        setOutputStream(new BufferedOutputStream(new KeepOpen(target), bufferSize));
        super.start();
        if (!isStarted()) {
            return;
        }
        flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "log-stdout-flusher");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(this::flush, flushIntervalMs, flushIntervalMs, TimeUnit.MILLISECONDS);
        exitFlush = new Thread(this::flushFromNowOn, "log-stdout-exit-flush");
        Runtime.getRuntime().addShutdownHook(exitFlush);
    }

    /** From JVM shutdown on, nothing waits in the buffer: no flusher tick may come before the exit. */
    void flushFromNowOn() {
        streamWriteLock.lock();
        try {
            setImmediateFlush(true);
            flush();
        } finally {
            streamWriteLock.unlock();
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        super.append(event);
        if (isStarted() && event.getLevel().isGreaterOrEqual(Level.WARN)) {
            flush();
        }
    }

    void flush() {
        streamWriteLock.lock();
        try {
            OutputStream out = getOutputStream();
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            addError("cannot flush standard output", e);
        } finally {
            streamWriteLock.unlock();
        }
    }

    @Override
    public void stop() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        removeExitFlush();
        if (isStarted()) {
            flush();
        }
        super.stop();
    }

    private void removeExitFlush() {
        if (exitFlush == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(exitFlush);
        } catch (IllegalStateException shuttingDown) {
            addInfo("JVM is shutting down; its exit flush hook runs anyway: " + shuttingDown.getMessage());
        }
        exitFlush = null;
    }

    /** Stopping the appender must not close file descriptor 1: the JVM and other writers still use it. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
