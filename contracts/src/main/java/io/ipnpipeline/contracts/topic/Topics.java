package io.ipnpipeline.contracts.topic;

import io.ipnpipeline.contracts.command.InviteCommand;
import io.ipnpipeline.contracts.command.PayoutCommand;
import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.payment.EnrichedPaymentSerde;
import io.ipnpipeline.contracts.serde.JsonSerde;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the pipeline. Keys are decimal ids as UTF-8 strings (payment_id, open_channel_id) so any
 * consumer, kcat included, can read them.
 */
public final class Topics {

    /** Raw IPN bodies exactly as received; headers: {@link HeaderNames#IPN_RECEIVED_AT} and friends. */
    public static final TopicSpec<String, byte[]> IPN_RAW =
            new TopicSpec<>("ipn.raw", "IPN_RAW_TOPIC", 6, false, Serdes.String(), Serdes.ByteArray());

    /** What the processor cannot use, byte for byte, with the reason and source in headers. */
    public static final TopicSpec<String, byte[]> IPN_DLQ =
            new TopicSpec<>("ipn.dlq", "IPN_DLQ_TOPIC", 1, false, true, Serdes.String(), Serdes.ByteArray());

    /** The channel registry; compacted; a tombstone removes a channel. */
    public static final TopicSpec<String, ChannelMapping> CHANNEL_MAPPINGS = new TopicSpec<>(
            "channel.mappings", "CHANNEL_MAPPINGS_TOPIC", 3, true,
            Serdes.String(), new JsonSerde<>(ChannelMapping.class));

    /** One record per accepted status change of a payment. */
    public static final TopicSpec<String, EnrichedPayment> PAYMENTS_ENRICHED = new TopicSpec<>(
            "payments.enriched", "PAYMENTS_ENRICHED_TOPIC", 6, false,
            Serdes.String(), new EnrichedPaymentSerde());

    /**
     * Commands, kept forever like the dead letters: the sink's restore guard reads both command topics back to
     * learn which commands were already issued when PostgreSQL comes back from a backup.
     */
    public static final TopicSpec<String, InviteCommand> COMMANDS_INVITE = new TopicSpec<>(
            "commands.invite", "COMMANDS_INVITE_TOPIC", 3, false, true,
            Serdes.String(), new JsonSerde<>(InviteCommand.class));

    public static final TopicSpec<String, PayoutCommand> COMMANDS_PAYOUT = new TopicSpec<>(
            "commands.payout", "COMMANDS_PAYOUT_TOPIC", 3, false, true,
            Serdes.String(), new JsonSerde<>(PayoutCommand.class));

    /** Enriched records the database rejected, byte for byte, with the reason in headers. */
    public static final TopicSpec<String, byte[]> SINK_DLQ = new TopicSpec<>(
            "payments.enriched.dlq", "SINK_DLQ_TOPIC", 1, false, true, Serdes.String(), Serdes.ByteArray());

    /**
     * The command publisher's position in the outbox, written in the same Kafka transaction as the commands
     * it covers; compacted, one partition, key: the publisher's name.
     */
    public static final TopicSpec<String, String> OUTBOX_POSITION = new TopicSpec<>(
            "sink.outbox.position", "OUTBOX_POSITION_TOPIC", 1, true, Serdes.String(), Serdes.String());

    private Topics() {
    }

    public static List<TopicSpec<?, ?>> all() {
        return List.of(IPN_RAW, IPN_DLQ, CHANNEL_MAPPINGS, PAYMENTS_ENRICHED, COMMANDS_INVITE, COMMANDS_PAYOUT,
                SINK_DLQ, OUTBOX_POSITION);
    }
}
