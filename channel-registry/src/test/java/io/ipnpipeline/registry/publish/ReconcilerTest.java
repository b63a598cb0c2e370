package io.ipnpipeline.registry.publish;

import static io.ipnpipeline.registry.testdata.Channels.channel;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.registry.table.TableRead;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    private final ChannelMapping a = channel(-1001).build();
    private final ChannelMapping b = channel(-1002).build();

    @Test
    void anEmptyTopicGetsEveryRowInKeyOrder() {
        TableRead table = table(Map.of("-1002", b, "-1001", a));

        assertThat(Reconciler.wholeTable(table, PublishedState.empty()))
                .containsExactly(new Change.Upsert("-1001", a), new Change.Upsert("-1002", b));
    }

    @Test
    void republishingAnUnchangedTableChangesNothing() {
        TableRead table = table(Map.of("-1001", a, "-1002", b));
        PublishedState state = PublishedState.empty();
        Reconciler.wholeTable(table, state).forEach(state::apply);

        assertThat(Reconciler.wholeTable(table, state)).isEmpty();
    }

    @Test
    void onlyAChangedRowIsPublishedAgain() {
        PublishedState state = published(a, b);
        ChannelMapping newWallet = channel(-1002).wallet("TNewWallet").build();

        assertThat(Reconciler.wholeTable(table(Map.of("-1001", a, "-1002", newWallet)), state))
                .containsExactly(new Change.Upsert("-1002", newWallet));
    }

    @Test
    void aPublishedKeyWithoutARowGetsATombstone() {
        assertThat(Reconciler.wholeTable(table(Map.of("-1001", a)), published(a, b)))
                .containsExactly(new Change.Tombstone("-1002"));
    }

    @Test
    void aKeyThatWasNeverPublishedNeedsNoTombstone() {
        assertThat(Reconciler.forKeys(table(Map.of()), PublishedState.empty(), List.of("-1003"))).isEmpty();
    }

    @Test
    void aRowThatCannotBeReadIsNeitherPublishedNorTombstoned() {
        TableRead table = new TableRead(Map.of(), Set.of("-1001"));

        assertThat(Reconciler.wholeTable(table, published(a))).isEmpty();
    }

    @Test
    void anUnreadableValueOnTheTopicIsOverwrittenOrTombstoned() {
        PublishedState state = PublishedState.empty();
        state.recordRead("-1001", Optional.empty(), false);
        state.recordRead("-1009", Optional.empty(), false);

        assertThat(Reconciler.wholeTable(table(Map.of("-1001", a)), state))
                .containsExactly(new Change.Upsert("-1001", a), new Change.Tombstone("-1009"));
    }

    @Test
    void aNotificationOnlyLooksAtTheNamedKeys() {
        PublishedState state = published(a, b);
        ChannelMapping changed = channel(-1001).tier1("6.00", 30).build();

        assertThat(Reconciler.forKeys(table(Map.of("-1001", changed)), state, List.of("-1001")))
                .containsExactly(new Change.Upsert("-1001", changed));
        assertThat(Reconciler.forKeys(table(Map.of()), state, List.of("-1002")))
                .containsExactly(new Change.Tombstone("-1002"));
    }

    @Test
    void aTombstoneReadFromTheTopicForgetsTheKey() {
        PublishedState state = published(a);
        state.recordRead("-1001", Optional.empty(), true);

        assertThat(state.holds("-1001")).isFalse();
        assertThat(Reconciler.wholeTable(table(Map.of()), state)).isEmpty();
    }

    private static TableRead table(Map<String, ChannelMapping> rows) {
        return new TableRead(rows, Set.of());
    }

    private static PublishedState published(ChannelMapping... mappings) {
        PublishedState state = PublishedState.empty();
        for (ChannelMapping mapping : mappings) {
            state.apply(new Change.Upsert(Long.toString(mapping.openChannelId()), mapping));
        }
        return state;
    }
}
