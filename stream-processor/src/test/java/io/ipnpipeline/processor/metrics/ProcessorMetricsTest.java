package io.ipnpipeline.processor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.processor.metrics.ProcessorMetrics.DlqStage;
import io.ipnpipeline.processor.metrics.ProcessorMetrics.DropKind;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** Every counter and tag value is a series at 0 before anything is counted (Prometheus's increase() needs it). */
class ProcessorMetricsTest {

    @Test
    void everyCounterIsExportedAtZeroBeforeTheFirstCount() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ProcessorMetrics(registry);
        String scrape = registry.scrape();

        for (DlqStage stage : DlqStage.values()) {
            assertThat(scrape).contains("ipn_processor_dlq_total{stage=\"" + stage.word() + "\"} 0.0");
        }
        for (DropKind kind : DropKind.values()) {
            assertThat(scrape).contains("ipn_processor_dedupe_dropped_total{kind=\"" + kind.word() + "\"} 0.0");
        }
        for (StatusWord word : StatusWord.values()) {
            assertThat(scrape).contains("ipn_processor_emitted_total{status_word=\"" + word.word() + "\"} 0.0");
        }
        assertThat(scrape).contains("ipn_processor_parked_total 0.0", "ipn_processor_released_total 0.0",
                "ipn_processor_needs_review_total 0.0", "ipn_processor_dedupe_expired_total 0.0");
    }

    @Test
    void countsLandInTheEagerlyRegisteredSeries() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ProcessorMetrics metrics = new ProcessorMetrics(registry);
        metrics.deadLettered(DlqStage.PARSE);
        metrics.parked();

        assertThat(metrics.count(ProcessorMetrics.DLQ, "stage", "parse")).isEqualTo(1);
        assertThat(registry.scrape()).contains("ipn_processor_dlq_total{stage=\"parse\"} 1.0",
                "ipn_processor_dlq_total{stage=\"processing\"} 0.0", "ipn_processor_parked_total 1.0");
    }
}
