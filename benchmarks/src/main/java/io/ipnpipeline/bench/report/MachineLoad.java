package io.ipnpipeline.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The 1-minute load average before, during (max) and after a run, sampled every 5 s from /proc/loadavg. */
public final class MachineLoad {

    private volatile double before = Double.NaN;
    private volatile double max = Double.NaN;
    private volatile double after = Double.NaN;
    private Thread sampler;

    public synchronized void start() {
        if (sampler != null) {
            return;
        }
        before = now();
        max = before;
        sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                max = Math.max(max, now());
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "load-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    public synchronized void stop() {
        if (sampler != null && sampler.isAlive()) {
            sampler.interrupt();
            after = now();
        }
    }

    public static double now() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
    }

    public String describe() {
        return String.format(Locale.ROOT, "1-min load average %.2f before, %.2f max during, %.2f after", before, max,
                after);
    }
}
