package io.ipnpipeline.bench.kafka;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/** Counts the committed records of a topic as they arrive (read_committed), on a thread of its own. */
public final class RecordCounter implements AutoCloseable {

    private final AtomicLong count = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;

    public RecordCounter(KafkaOps kafka, String topic) {
        this.consumer = kafka.consumer("read_committed");
        consumer.assign(kafka.partitions(topic));
        consumer.seekToBeginning(consumer.assignment());
        this.thread = new Thread(this::run, "count-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running.get()) {
                count.addAndGet(consumer.poll(Duration.ofMillis(100)).count());
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    public long count() {
        return count.get();
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
