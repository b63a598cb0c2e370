package io.ipnpipeline.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Command line: {@code --scale tiny|small|full} (default full), {@code --runs N}, {@code --ipns N} (processor,
 * sink and replay data set), {@code --stages gateway,processor,sink,e2e,replay,localstack} (default all),
 * {@code --work-dir DIR} (default target/bench-work), {@code --out FILE} (the markdown table is also written
 * there), {@code --keep} (keep the work dir: logs, data).
 */
public record BenchOptions(Scale scale, Set<Stage> stages, Path workDir, Path out, boolean keep) {

    public enum Stage { GATEWAY, PROCESSOR, SINK, E2E, REPLAY, LOCALSTACK }

    public static BenchOptions parse(String... args) {
        Scale scale = Scale.named("full");
        Integer runs = null;
        Long ipns = null;
        Set<Stage> stages = EnumSet.allOf(Stage.class);
        Path workDir = Path.of("target", "bench-work");
        Path out = null;
        boolean keep = false;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            switch (flag) {
                case "--scale" -> scale = Scale.named(value(flag, rest));
                case "--runs" -> runs = Integer.parseInt(value(flag, rest));
                case "--ipns" -> ipns = Long.parseLong(value(flag, rest));
                case "--stages" -> stages = stages(value(flag, rest));
                case "--work-dir" -> workDir = Path.of(value(flag, rest));
                case "--out" -> out = Path.of(value(flag, rest));
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + usage());
            }
        }
        if (runs != null) {
            scale = scale.withRuns(runs);
        }
        if (ipns != null) {
            scale = scale.withProcessorIpns(ipns);
        }
        return new BenchOptions(scale, stages, workDir.toAbsolutePath(), out, keep);
    }

    private static String value(String flag, List<String> rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(flag + " needs a value\n" + usage());
        }
        return rest.remove(0);
    }

    private static Set<Stage> stages(String list) {
        Set<Stage> stages = EnumSet.noneOf(Stage.class);
        for (String name : list.split(",")) {
            stages.add(Stage.valueOf(name.trim().toUpperCase(Locale.ROOT)));
        }
        return stages;
    }

    public static String usage() {
        return "usage: java -jar ipn-pipeline-bench.jar [--scale tiny|small|full] [--runs N] [--ipns N]"
                + " [--stages gateway,processor,sink,e2e,replay,localstack] [--work-dir DIR] [--out FILE] [--keep]";
    }
}
