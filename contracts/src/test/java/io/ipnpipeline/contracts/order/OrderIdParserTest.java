package io.ipnpipeline.contracts.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipnpipeline.contracts.order.OrderIdParser.Parsed;
import io.ipnpipeline.contracts.order.OrderIdParser.Unparseable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OrderIdParserTest {

    @ParameterizedTest(name = "{0} -> user {1}, channel {2}, {3}")
    @CsvSource(delimiter = ';', value = {
        // the incident's order id, current form
        "PGP-6271402111|-1003253338212;   6271402111; -1003253338212; PIPE",
        // older form: the dash separator swallowed the channel's sign
        "PGP-6271402111-1003253338212;    6271402111; -1003253338212; DASH_SIGN_LOST",
        // older form: dash separator and the sign both written
        "PGP-6271402111--1003253338212;   6271402111; -1003253338212; DASH_SIGN_DOUBLED",
        // surrounding whitespace is not part of the id
        "'  PGP-6271402111|-1003253338212 '; 6271402111; -1003253338212; PIPE",
        // a basic group id (negative, not -100...)
        "PGP-1|-42;                       1;          -42;            PIPE",
        // the largest ids a 64-bit integer holds
        "PGP-9223372036854775807|-9223372036854775807; 9223372036854775807; -9223372036854775807; PIPE",
    })
    void parsesEveryKnownForm(String raw, long userId, long channelId, OrderId.Form form) {
        assertThat(OrderIdParser.parse(raw))
                .isEqualTo(new Parsed(new OrderId(userId, channelId, form)));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = ';', value = {
        "garbage;                                   order_id matches no known form",
        "PGP-;                                      order_id matches no known form",
        "PGP-abc|-100;                              order_id matches no known form",
        "pgp-6271402111|-1003253338212;             order_id matches no known form",
        "PGP-6271402111|-1003253338212|x;           order_id matches no known form",
        "PGP-6271402111;                            order_id matches no known form",
        "PGP--6271402111|-1003253338212;            order_id matches no known form",
        "PGP-6271402111|+1003253338212;             order_id matches no known form",
        "PGP-6271402111|--1003253338212;            order_id matches no known form",
        "PGP-6271402111|-1003253338212.5;           order_id matches no known form",
        // a positive channel id in the sign-keeping form is not a channel id
        "PGP-6271402111|1003253338212;              order_id has a channel id that is not negative",
        "PGP-6271402111|0;                          order_id has a channel id that is not negative",
        "PGP-6271402111--0;                         order_id has a channel id that is not negative",
        "PGP-0|-1003253338212;                      order_id has a user id that is not positive",
        // overflow of a 64-bit integer
        "PGP-9223372036854775808|-1003253338212;    order_id has an id too large for a 64-bit integer",
        "PGP-6271402111|-9999999999999999999;       order_id has an id too large for a 64-bit integer",
        "PGP-99999999999999999999|-1003253338212;   order_id matches no known form",
        "PGP-1|;                                    order_id matches no known form",
        "PGP-1|-;                                   order_id matches no known form",
        "PGP-1-;                                    order_id matches no known form",
        "PGP-1--;                                   order_id matches no known form",
        "PGP-1---5;                                 order_id matches no known form",
        "PGP-1-5-;                                  order_id matches no known form",
        "PGP-1x-5;                                  order_id matches no known form",
        "PGP-1|-12345678901234567890;               order_id matches no known form",
        "PGP-١|-5;                             order_id matches no known form",
        "PGP-1|-٥;                             order_id matches no known form",
    })
    void refusesWithAReason(String raw, String reason) {
        assertThat(OrderIdParser.parse(raw)).isEqualTo(new Unparseable(reason));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void nullAndBlankAreUnparseable(String raw) {
        assertThat(OrderIdParser.parse(raw)).isInstanceOf(Unparseable.class);
        assertThat(((Unparseable) OrderIdParser.parse(raw)).reason()).startsWith("order_id is");
    }

    @org.junit.jupiter.api.Test
    void hugeInputIsRefusedWithoutScanningIt() {
        String huge = "PGP-1|-" + "1".repeat(10_000);
        assertThat(OrderIdParser.parse(huge))
                .isEqualTo(new Unparseable("order_id is longer than 64 characters"));
    }

    /** The forms as regular expressions (how they used to be read): the hand-written parser agrees with them. */
    @org.junit.jupiter.api.Test
    void agreesWithTheFormsWrittenAsRegularExpressions() {
        java.util.regex.Pattern pipe = java.util.regex.Pattern.compile("PGP-(\\d{1,19})\\|(-?\\d{1,19})");
        java.util.regex.Pattern doubled = java.util.regex.Pattern.compile("PGP-(\\d{1,19})--(\\d{1,19})");
        java.util.regex.Pattern lost = java.util.regex.Pattern.compile("PGP-(\\d{1,19})-(\\d{1,19})");
        java.util.Random random = new java.util.Random(11);
        String[] pieces = {"PGP-", "1", "9", "0", "12345678901", "9223372036854775807", "|", "-", "--", "x",
            " "};
        int placed = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder raw = new StringBuilder(random.nextInt(5) > 0 ? "PGP-" : "");
            for (int n = 1 + random.nextInt(4); n > 0; n--) {
                raw.append(pieces[random.nextInt(pieces.length)]);
            }
            String value = raw.toString().strip();
            OrderIdParser.Result result = OrderIdParser.parse(raw.toString());
            boolean matches = !value.isEmpty() && value.length() <= 64 && (pipe.matcher(value).matches()
                    || doubled.matcher(value).matches() || lost.matcher(value).matches());
            if (!matches) {
                assertThat(result).as(raw.toString()).isIn(
                        new Unparseable("order_id matches no known form"), new Unparseable("order_id is empty"),
                        new Unparseable("order_id is longer than 64 characters"));
                continue;
            }
            java.util.regex.Matcher matched = pipe.matcher(value);
            OrderId.Form form = OrderId.Form.PIPE;
            if (!matched.matches()) {
                matched = doubled.matcher(value);
                form = matched.matches() ? OrderId.Form.DASH_SIGN_DOUBLED : OrderId.Form.DASH_SIGN_LOST;
                matched = matched.matches() ? matched : lost.matcher(value);
                matched.matches();
            }
            if (result instanceof Parsed parsed) {
                placed++;
                long channel = Long.parseLong(matched.group(2));
                assertThat(parsed.orderId()).as(raw.toString()).isEqualTo(new OrderId(
                        Long.parseLong(matched.group(1)), form == OrderId.Form.PIPE ? channel : -channel, form));
            } else {
                assertThat(((Unparseable) result).reason()).as(raw.toString()).startsWith("order_id has ");
            }
        }
        assertThat(placed).isGreaterThan(100);
    }

    @org.junit.jupiter.api.Test
    void canonicalFormRoundTrips() {
        OrderId legacy = ((Parsed) OrderIdParser.parse("PGP-6271402111-1003253338212")).orderId();
        assertThat(legacy.canonical()).isEqualTo("PGP-6271402111|-1003253338212");
        assertThat(OrderIdParser.parse(legacy.canonical()))
                .isEqualTo(new Parsed(new OrderId(6271402111L, -1003253338212L, OrderId.Form.PIPE)));
    }

    @org.junit.jupiter.api.Test
    void orderIdRefusesImpossibleValues() {
        assertThatThrownBy(() -> new OrderId(1, 5, OrderId.Form.PIPE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OrderId(0, -5, OrderId.Form.PIPE)).isInstanceOf(IllegalArgumentException.class);
    }
}
