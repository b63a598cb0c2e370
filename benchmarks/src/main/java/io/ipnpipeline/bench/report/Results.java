package io.ipnpipeline.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a benchmark run found, as one markdown table: each figure, its limit measured in the same run, the
 * ratio (median of the per-run ratios), the goal and whether it was met. Misses are printed as misses.
 */
public final class Results {

    private record Row(String stage, String figure, String value, String limit, String ratio, String goal,
            String verdict) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /**
     * A figure against its limit, one pair per run. {@code goalRatio} is the least acceptable median of
     * {@code values[i] / limits[i]}; 0 when the issue sets no goal.
     */
    public synchronized void ratio(String stage, String figure, String unit, List<Double> values, String limitName,
            List<Double> limits, double goalRatio) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(values.size(), limits.size()); i++) {
            ratios.add(values.get(i) / limits.get(i));
        }
        double ratio = Stats.median(ratios);
        rows.add(new Row(stage, figure, number(Stats.median(values)) + " " + unit + runs(values),
                limitName + ": " + number(Stats.median(limits)) + " " + unit,
                String.format(Locale.ROOT, "%.2f x", ratio) + perRun(ratios),
                goalRatio > 0 ? String.format(Locale.ROOT, ">= %.1f x", goalRatio) : "-",
                goalRatio > 0 ? verdict(ratio >= goalRatio) : "-"));
    }

    /** A figure with an absolute goal (a latency, a memory cap) or none. */
    public synchronized void absolute(String stage, String figure, String value, String goal, Boolean met) {
        rows.add(new Row(stage, figure, value, "-", "-", goal, met == null ? "-" : verdict(met)));
    }

    public synchronized void note(String note) {
        notes.add(note);
    }

    public synchronized String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| stage | figure | measured (median) | limit, same run (median) | ratio | goal | met |\n");
        out.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row row : rows) {
            out.append("| ").append(String.join(" | ", row.stage(), row.figure(), row.value(), row.limit(),
                    row.ratio(), row.goal(), row.verdict())).append(" |\n");
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(note -> out.append("- ").append(note).append('\n'));
        }
        return out.toString();
    }

    private static String verdict(boolean met) {
        return met ? "yes" : "**MISS**";
    }

    private static String runs(List<Double> values) {
        return values.size() > 1 ? " (n=" + values.size() + ")" : "";
    }

    private static String perRun(List<Double> ratios) {
        if (ratios.size() < 2) {
            return "";
        }
        return " [" + ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r))
                .collect(Collectors.joining(", ")) + "]";
    }

    public static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    public static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MiB", bytes / 1024.0 / 1024.0);
    }
}
