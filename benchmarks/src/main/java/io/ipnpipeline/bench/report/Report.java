package io.ipnpipeline.bench.report;

import io.ipnpipeline.bench.BenchContext;
import io.ipnpipeline.bench.BenchOptions;
import io.ipnpipeline.bench.Heaps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** The printed report: when, where, how big, the table, and the memory rows. */
public final class Report {

    private static final String STAGE = "6 memory";

    private Report() {
    }

    public static String render(BenchOptions options, BenchContext ctx, MachineLoad load) {
        addMemory(ctx);
        StringBuilder out = new StringBuilder();
        out.append("## Benchmark ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append("\n\n");
        out.append("- machine: ").append(machine()).append('\n');
        out.append("- load: ").append(load.describe()).append('\n');
        out.append("- scale: ").append(options.scale()).append('\n');
        out.append("- stages: ").append(options.stages()).append("\n\n");
        out.append(ctx.results().markdown());
        return out.toString();
    }

    private static void addMemory(BenchContext ctx) {
        Map<String, Long> peaks = ctx.peakRss();
        boolean oom = outOfMemorySeen(ctx.logDir());
        Map<String, String> caps = new LinkedHashMap<>();
        caps.put("gateway", Heaps.GATEWAY);
        caps.put("e2e gateway", Heaps.GATEWAY);
        caps.put("processor", Heaps.PROCESSOR);
        caps.put("e2e processor", Heaps.PROCESSOR);
        caps.put("replay processor", Heaps.PROCESSOR);
        caps.put("pass-through", Heaps.PASS_THROUGH);
        caps.put("sink", Heaps.SINK);
        caps.put("e2e sink", Heaps.SINK);
        caps.put("replay sink", Heaps.SINK);
        caps.put("infra broker JVM", Heaps.INFRA);
        for (Map.Entry<String, String> cap : caps.entrySet()) {
            Long peak = peaks.get(cap.getKey());
            if (peak != null) {
                ctx.results().absolute(STAGE, "peak RSS, " + cap.getKey() + " (-Xmx" + cap.getValue() + ")",
                        Results.mib(peak), "heap cap holds (no OutOfMemoryError)", !oom);
            }
        }
        List.of("PostgreSQL (PSS, sampled)", "stack total").forEach(key -> {
            Long peak = peaks.get(key);
            if (peak != null) {
                ctx.results().absolute(STAGE, "peak " + key, Results.mib(peak), "-", null);
            }
        });
    }

    private static boolean outOfMemorySeen(Path logDir) {
        if (!Files.isDirectory(logDir)) {
            return false;
        }
        try (Stream<Path> logs = Files.list(logDir)) {
            return logs.filter(path -> path.toString().endsWith(".log")).anyMatch(Report::mentionsOom);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean mentionsOom(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.anyMatch(line -> line.contains("OutOfMemoryError"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    static String machine() {
        String cpu = "unknown cpu";
        long memKb = 0;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
            memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", ""))).orElse(0L);
        } catch (IOException e) {
            // not Linux: the report says unknown
        }
        return String.format(Locale.ROOT, "%d cores (%s), %.1f GiB RAM, %s %s, Java %s",
                Runtime.getRuntime().availableProcessors(), cpu, memKb / 1024.0 / 1024.0, System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("java.version"));
    }

    /** Writes the report to {@code out} when one was asked for. */
    public static void write(Path out, String report) throws IOException {
        if (out != null) {
            Files.writeString(out, report);
        }
    }
}
