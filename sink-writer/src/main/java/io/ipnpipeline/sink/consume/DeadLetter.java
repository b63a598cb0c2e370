package io.ipnpipeline.sink.consume;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A consumed record that cannot be applied, and why. */
record DeadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
}
