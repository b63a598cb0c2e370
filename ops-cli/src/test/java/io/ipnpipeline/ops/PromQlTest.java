package io.ipnpipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void findsMetricNamesButNotFunctionsLabelsOrDurations() {
        assertThat(PromQl.metricNames("sum(rate(gateway_ipn_signature_failures_total[5m])) > 0.1 and sum by (le)"
                + " (rate(gateway_requests_total{route=\"/ipn\",outcome=~\"a|b\"}[5m])) > 0.2 * max(sink_consumer_lag)"))
                .containsExactly("gateway_ipn_signature_failures_total", "gateway_requests_total", "sink_consumer_lag");
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le) (rate(x_seconds_bucket[5m])))"))
                .containsExactly("x_seconds_bucket");
    }

    @Test
    void readsSampleNamesFromTheExpositionFormat() {
        assertThat(PromQl.sampleNames("# HELP a_total x\n# TYPE a_total counter\na_total{k=\"v\"} 1.0\nb 2\n"))
                .containsExactly("a_total", "b");
    }
}
