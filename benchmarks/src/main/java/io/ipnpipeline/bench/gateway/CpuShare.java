package io.ipnpipeline.bench.gateway;

import io.ipnpipeline.bench.infra.CpuTime;
import java.util.Locale;

/**
 * Where the CPU went while a number of IPNs passed: the service (absent for the plain producer), the harness
 * (the load generator, or the plain producer itself) and the broker's JVM, as microseconds per IPN. On 2 shared
 * cores this is what explains a ratio: whatever the load generator burns, the gateway cannot have.
 */
final class CpuShare {

    private final long servicePid;
    private final long brokerPid;
    private final double service;
    private final double harness;
    private final double broker;
    private String summary = "not measured";

    private CpuShare(long servicePid, long brokerPid) {
        this.servicePid = servicePid;
        this.brokerPid = brokerPid;
        this.service = servicePid > 0 ? CpuTime.seconds(servicePid) : 0;
        this.harness = CpuTime.seconds(CpuTime.self());
        this.broker = CpuTime.seconds(brokerPid);
    }

    static CpuShare start(long servicePid, long brokerPid) {
        return new CpuShare(servicePid, brokerPid);
    }

    /** {@code ipns} passed (answered or sent) in the interval. */
    void stop(long ipns) {
        double perIpn = 1e6 / Math.max(1, ipns);
        double serviceUs = servicePid > 0 ? (CpuTime.seconds(servicePid) - service) * perIpn : Double.NaN;
        double harnessUs = (CpuTime.seconds(CpuTime.self()) - harness) * perIpn;
        double brokerUs = (CpuTime.seconds(brokerPid) - broker) * perIpn;
        summary = servicePid > 0
                ? String.format(Locale.ROOT, "gateway %.0f µs, load generator %.0f µs, broker %.0f µs", serviceUs,
                        harnessUs, brokerUs)
                : String.format(Locale.ROOT, "producer %.0f µs, broker %.0f µs", harnessUs, brokerUs);
    }

    @Override
    public String toString() {
        return summary;
    }
}
