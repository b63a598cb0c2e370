package io.ipnpipeline.registry.listen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeNotificationsTest {

    @Test
    void collectsTheIdsOfInsertsUpdatesAndDeletesOnce() {
        ChangeNotifications.Batch batch = ChangeNotifications.parse(
                List.of("I:-1001", "U:-1001", "D:-1002", "U:-1003"));

        assertThat(batch.ids()).containsExactlyInAnyOrder(-1001L, -1002L, -1003L);
        assertThat(batch.wholeTable()).isFalse();
    }

    @Test
    void aTruncateAsksForTheWholeTable() {
        ChangeNotifications.Batch batch = ChangeNotifications.parse(List.of("I:-1", "T"));

        assertThat(batch.wholeTable()).isTrue();
        assertThat(batch.isEmpty()).isFalse();
    }

    @Test
    void anUnknownPayloadIsNeverIgnoredButAsksForTheWholeTable() {
        assertThat(ChangeNotifications.parse(List.of("X:-1")).wholeTable()).isTrue();
        assertThat(ChangeNotifications.parse(List.of("I:abc")).wholeTable()).isTrue();
        assertThat(ChangeNotifications.parse(List.of("")).wholeTable()).isTrue();
        assertThat(ChangeNotifications.parse(java.util.Arrays.asList((String) null)).wholeTable()).isTrue();
    }

    @Test
    void noNotificationsAskForNothing() {
        assertThat(ChangeNotifications.parse(List.of()).isEmpty()).isTrue();
    }
}
