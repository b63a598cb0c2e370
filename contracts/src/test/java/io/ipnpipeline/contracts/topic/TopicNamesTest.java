package io.ipnpipeline.contracts.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicNamesTest {

    @Test
    void defaultsAreTheDesignNames() {
        TopicNames names = TopicNames.defaults();
        assertThat(names.name(Topics.IPN_RAW)).isEqualTo("ipn.raw");
        assertThat(names.name(Topics.IPN_DLQ)).isEqualTo("ipn.dlq");
        assertThat(names.name(Topics.CHANNEL_MAPPINGS)).isEqualTo("channel.mappings");
        assertThat(names.name(Topics.PAYMENTS_ENRICHED)).isEqualTo("payments.enriched");
        assertThat(names.name(Topics.COMMANDS_INVITE)).isEqualTo("commands.invite");
        assertThat(names.name(Topics.COMMANDS_PAYOUT)).isEqualTo("commands.payout");
    }

    @Test
    void environmentRenamesOneTopicAndBlankMeansDefault() {
        Map<String, String> env = Map.of("IPN_RAW_TOPIC", " prod.ipn.raw ", "IPN_DLQ_TOPIC", " ");
        TopicNames names = TopicNames.fromEnv(env::get);
        assertThat(names.name(Topics.IPN_RAW)).isEqualTo("prod.ipn.raw");
        assertThat(names.name(Topics.IPN_DLQ)).isEqualTo("ipn.dlq");
    }

    @Test
    void prefixGivesEachTestItsOwnTopics() {
        assertThat(TopicNames.withPrefix("t1.").name(Topics.PAYMENTS_ENRICHED)).isEqualTo("t1.payments.enriched");
        assertThat(TopicNames.withPrefix("t1.")).isNotEqualTo(TopicNames.withPrefix("t2."));
    }

    @Test
    void variablesAndNamesAreUnique() {
        assertThat(new HashSet<>(Topics.all().stream().map(TopicSpec::envVariable).toList()))
                .hasSize(Topics.all().size());
        assertThat(new HashSet<>(Topics.all().stream().map(TopicSpec::defaultName).toList()))
                .hasSize(Topics.all().size());
        assertThat(Topics.CHANNEL_MAPPINGS.compacted()).isTrue();
        assertThat(Topics.IPN_RAW.compacted()).isFalse();
    }
}
