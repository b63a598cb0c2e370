package io.ipnpipeline.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.ipn.Ipn;
import io.ipnpipeline.contracts.ipn.IpnParser;
import io.ipnpipeline.contracts.status.PaymentStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpnsTest {

    private static List<Ipns.Ipn> generate(long total) {
        List<Ipns.Ipn> ipns = new ArrayList<>();
        Ipns.generate(new Ipns.Spec(total, 0.20, 0.01, 50, 1_000_000L, 7), ipns::add);
        return ipns;
    }

    @Test
    void producesExactlyTheRequestedCountAndShareOfDuplicates() {
        List<Ipns.Ipn> ipns = generate(100_000);

        assertThat(ipns).hasSize(100_000);
        assertThat(ipns.stream().filter(Ipns.Ipn::duplicate).count()).isEqualTo(20_000);
        assertThat(ipns.stream().filter(ipn -> !ipn.duplicate()).mapToLong(Ipns.Ipn::paymentId).distinct().count())
                .isEqualTo(16_000);
    }

    @Test
    void everyPaymentGoesThroughFiveStatusesInOrderAndDuplicatesRepeatEarlierBodies() {
        Map<Long, List<PaymentStatus>> seen = new HashMap<>();
        Map<Long, List<byte[]>> bodies = new HashMap<>();
        for (Ipns.Ipn ipn : generate(10_000)) {
            if (ipn.duplicate()) {
                assertThat(bodies.get(ipn.paymentId())).anySatisfy(body -> assertThat(body).isEqualTo(ipn.body()));
            } else {
                seen.computeIfAbsent(ipn.paymentId(), id -> new ArrayList<>()).add(ipn.status());
                bodies.computeIfAbsent(ipn.paymentId(), id -> new ArrayList<>()).add(ipn.body());
            }
        }
        assertThat(seen.values()).allSatisfy(statuses -> assertThat(statuses).isEqualTo(Ipns.LIFECYCLE));
    }

    @Test
    void bodiesAreIpnsThePipelineParsesWithTheirStatus() {
        Ipns.Ipn first = generate(10).get(0);

        IpnParser.Result result = IpnParser.parse(first.body());

        assertThat(result).isInstanceOf(IpnParser.Parsed.class);
        Ipn parsed = ((IpnParser.Parsed) result).ipn();
        assertThat(parsed.paymentId()).isEqualTo(first.paymentId());
        assertThat(parsed.status()).isEqualTo(first.status());
    }

    @Test
    void aboutOnePercentOfPaymentsAreForUnregisteredChannels() {
        List<Ipns.Ipn> ipns = generate(500_000);
        long payments = ipns.stream().mapToLong(Ipns.Ipn::paymentId).distinct().count();
        long unmapped = ipns.stream().filter(ipn -> !ipn.mapped()).mapToLong(Ipns.Ipn::paymentId).distinct().count();

        assertThat((double) unmapped / payments).isBetween(0.007, 0.013);
    }
}
