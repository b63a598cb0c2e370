package io.ipnpipeline.contracts.ipn;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.ipn.IpnParser.Parsed;
import io.ipnpipeline.contracts.ipn.IpnParser.Rejected;
import io.ipnpipeline.contracts.status.PaymentStatus;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpnParserTest {

    private static Ipn parsed(IpnBodyBuilder body) {
        IpnParser.Result result = IpnParser.parse(body.toBytes());
        assertThat(result).isInstanceOf(Parsed.class);
        return ((Parsed) result).ipn();
    }

    private static String rejection(String body) {
        IpnParser.Result result = IpnParser.parse(body.getBytes(StandardCharsets.UTF_8));
        assertThat(result).isInstanceOf(Rejected.class);
        return ((Rejected) result).reason();
    }

    @Test
    void parsesTheIncidentPaymentWithExactDecimals() {
        Ipn ipn = parsed(IpnBodyBuilder.incidentPayment());
        assertThat(ipn.paymentId()).isEqualTo(4479119533L);
        assertThat(ipn.invoiceId()).isEqualTo(4910826526L);
        assertThat(ipn.status()).isEqualTo(PaymentStatus.FINISHED);
        assertThat(ipn.orderId()).isEqualTo("PGP-6271402111|-1003253338212");
        assertThat(ipn.priceAmount()).isEqualByComparingTo("2.5");
        assertThat(ipn.payAmount()).isEqualTo(new BigDecimal("0.00076967"));
        assertThat(ipn.outcomeAmount()).isEqualTo(new BigDecimal("0.00061819"));
        assertThat(ipn.createdAt()).isEqualTo(Instant.parse("2025-11-07T11:48:27.355Z"));
        assertThat(ipn.orderDescription()).isNull();
    }

    /** Found by reliability-tests' ParserPropertiesTest: this threw NumberFormatException instead. */
    @Test
    void anExponentTooLargeForBigDecimalIsRejectedNotThrown() {
        assertThat(rejection("{\"payment_id\":1,\"payment_status\":\"finished\",\"price_amount\":1e99999999999}"))
                .isEqualTo("unreadable number");
    }

    @Test
    void keepsTheRawBodyWithUnknownFields() {
        IpnBodyBuilder body = IpnBodyBuilder.incidentPayment().with("burning_percent", "null")
                .with("brand_new_field", 42);
        Ipn ipn = parsed(body);
        assertThat(ipn.rawJson()).isEqualTo(body.toJson()).contains("brand_new_field");
    }

    @Test
    void amountsDoNotPassThroughDouble() {
        Ipn ipn = parsed(IpnBodyBuilder.incidentPayment().with("pay_amount", new BigDecimal("0.1000000000000000055511151231257827")));
        assertThat(ipn.payAmount()).isEqualTo(new BigDecimal("0.1000000000000000055511151231257827"));
    }

    @Test
    void acceptsNumericStringsWhereTypesWander() {
        Ipn ipn = parsed(IpnBodyBuilder.incidentPayment().with("payment_id", "4479119533")
                .with("price_amount", "2.50").with("purchase_id", 123));
        assertThat(ipn.paymentId()).isEqualTo(4479119533L);
        assertThat(ipn.priceAmount()).isEqualTo(new BigDecimal("2.50"));
    }

    @Test
    void toleratesNullOrderIdAndNullOptionalFields() {
        Ipn ipn = parsed(IpnBodyBuilder.incidentPayment().with("order_id", null).with("invoice_id", null)
                .with("actually_paid", null).with("created_at", "yesterday"));
        assertThat(ipn.orderId()).isNull();
        assertThat(ipn.invoiceId()).isNull();
        assertThat(ipn.actuallyPaid()).isNull();
        assertThat(ipn.createdAt()).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "not json at all;                                       not JSON",
        "'[1,2,3]';                                             not a JSON object",
        "'\"string\"';                                          not a JSON object",
        "'{\"payment_status\":\"finished\"}';                   no numeric payment_id",
        "'{\"payment_id\":\"abc\",\"payment_status\":\"finished\"}'; no numeric payment_id",
        "'{\"payment_id\":1.5,\"payment_status\":\"finished\"}';  no numeric payment_id",
        "'{\"payment_id\":-4,\"payment_status\":\"finished\"}';   no numeric payment_id",
        "'{\"payment_id\":99999999999999999999,\"payment_status\":\"finished\"}'; no numeric payment_id",
        "'{\"payment_id\":1}';                                  unknown payment_status",
        "'{\"payment_id\":1,\"payment_status\":\"paid\"}';      unknown payment_status",
        "'{\"payment_id\":1,\"payment_status\":7}';             unknown payment_status",
        "'{\"payment_id\":1,\"payment_status\":\"waiting\",\"price_amount\":\"lots\"}'; price_amount is not a number",
        "'{\"payment_id\":1,\"payment_status\":\"waiting\",\"pay_amount\":{}}';        pay_amount is not a number",
        "'{\"payment_id\":1,\"payment_status\":\"waiting\"';    not JSON",
    })
    void rejectsUnusableBodiesWithAReason(String body, String reason) {
        assertThat(rejection(body)).isEqualTo(reason);
    }

    @Test
    void rejectsEmptyBodies() {
        assertThat(IpnParser.parse(new byte[0])).isEqualTo(new Rejected("empty body"));
        assertThat(IpnParser.parse(null)).isEqualTo(new Rejected("empty body"));
    }

    @Test
    void wholeNumberFloatIdsAreAccepted() {
        assertThat(((Parsed) IpnParser.parse("{\"payment_id\":4479119533.0,\"payment_status\":\"waiting\"}"
                .getBytes(StandardCharsets.UTF_8))).ipn().paymentId()).isEqualTo(4479119533L);
    }

    /**
     * Found by review: these parsed, then cost a stream thread close to a minute to round to cents, or could not
     * be read back from the parking store. Both parse paths (the streaming reader, the tree) must reject them.
     */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ';', value = {
        "price_amount; 1e99999999", "price_amount; \"1e-99999999\"", "outcome_amount; 1E+31",
        "pay_amount; 0.1e-60", "actually_paid; \"-1e40\"", "outcome_amount; \"1e-1000000\"",
        "price_amount; 1E+1000000"})
    void anAmountNoCurrencyHasIsRejectedByBothPaths(String field, String json) {
        String body = "{\"payment_id\":1,\"payment_status\":\"finished\",\"" + field + "\":" + json + "}";
        assertThat(rejection(body)).isEqualTo(field + " is out of range");
        assertThat(IpnParser.parseTree(body.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Rejected(field + " is out of range"));
    }

    @Test
    void anAmountOfFifteenHundredDigitsIsRejectedByBothPaths() {
        String digits = "1" + "0".repeat(1500);
        String body = "{\"payment_id\":1,\"payment_status\":\"finished\",\"pay_amount\":\"" + digits + "\"}";
        assertThat(rejection(body)).isEqualTo("pay_amount is out of range");
        assertThat(IpnParser.parseTree(body.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Rejected("pay_amount is out of range"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"1E+2", "0.000000000000000001", "123456789012345678901234567890", "1000000.000000000000000000",
        "-0.00", "0.000000000000000000000000000000000000000000000000000000000001"})
    void everyAmountACurrencyCanHaveIsKept(String amount) {
        Ipn ipn = parsed(IpnBodyBuilder.incidentPayment().with("outcome_amount", new BigDecimal(amount)));
        assertThat(ipn.outcomeAmount()).isEqualByComparingTo(amount);
    }

    /** Every parse path: the byte scanner (plain bodies), Jackson's streaming pass, the tree. */
    private static void everyPathAnswers(String body, IpnParser.Result expected) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(IpnParser.parse(bytes)).as("parse " + body).isEqualTo(expected);
        assertThat(StreamingIpnReader.readWithJackson(bytes)).as("jackson " + body).isIn(expected, null);
        assertThat(IpnParser.parseTree(bytes)).as("tree " + body).isEqualTo(expected);
    }

    private static String finished(String extra) {
        return "{\"payment_id\":8,\"payment_status\":\"finished\"," + extra + "}";
    }

    /** A repeated deposit must be recognised however the parent id is spelled, or it would be placed as new. */
    @ParameterizedTest(name = "parent_payment_id {0}")
    @CsvSource(delimiter = ';', value = {"7; 7", "\"7\"; 7", "7.0; 7", "0; 0", "null;", "\"4479119533\"; 4479119533"})
    void everyPathReadsTheParentPaymentId(String json, Long expected) {
        String body = finished("\"parent_payment_id\":" + json);
        IpnParser.Result result = IpnParser.parseTree(body.getBytes(StandardCharsets.UTF_8));
        assertThat(result).isInstanceOf(Parsed.class);
        assertThat(((Parsed) result).ipn().parentPaymentId()).isEqualTo(expected);
        everyPathAnswers(body, result);
        assertThat(AsciiIpnScanner.scan(body.getBytes(StandardCharsets.UTF_8),
                new Object[StreamingIpnReader.FIELDS])).isTrue();
    }

    /** Read as absent, a set but unreadable parent would let a repeated deposit be placed and paid out again. */
    @ParameterizedTest(name = "parent_payment_id {0}")
    @CsvSource(delimiter = ';', value = {"\"abc\"", "\"\"", "7.5", "true", "{\"id\":7}", "[7]",
        "\"12345678901234567890\"", "1e30"})
    void aSetParentThatIsNoIdIsRejectedByEveryPath(String json) {
        everyPathAnswers(finished("\"parent_payment_id\":" + json), new Rejected("parent_payment_id is not an id"));
    }

    /**
     * Found by review: PostgreSQL's timestamptz refuses these (22008), so the sink dead-lettered a finished payment
     * for a timestamp that is only informational. Every path drops them, as it drops unreadable ones.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"0000-12-31T23:59:59Z", "-0001-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
        "0001-01-01T00:30:00+01:00", "+9999999-01-01T00:00:00Z"})
    void aTimestampOutsideYearsOneTo9999IsDroppedByEveryPath(String text) {
        String body = finished("\"created_at\":\"" + text + "\",\"updated_at\":\"" + text + "\"");
        IpnParser.Result result = IpnParser.parseTree(body.getBytes(StandardCharsets.UTF_8));
        assertThat(result).isInstanceOf(Parsed.class);
        assertThat(((Parsed) result).ipn().createdAt()).isNull();
        assertThat(((Parsed) result).ipn().updatedAt()).isNull();
        everyPathAnswers(body, result);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"9999-12-31T23:59:59Z", "9999-12-31T23:59:59.999999999Z", "0001-01-01T00:00:00Z"})
    void theEdgesOfTheStorableYearsAreKeptByEveryPath(String text) {
        String body = finished("\"created_at\":\"" + text + "\"");
        IpnParser.Result result = IpnParser.parseTree(body.getBytes(StandardCharsets.UTF_8));
        assertThat(((Parsed) result).ipn().createdAt()).isEqualTo(Instant.parse(text));
        everyPathAnswers(body, result);
    }
}
