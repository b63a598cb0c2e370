package io.ipnpipeline.bench.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU seconds (user + system) a process has used so far, from {@code /proc/<pid>/stat}; -1 when unknown.
 * Shows where the 2 cores went during a measurement (service, load generator, broker).
 */
public final class CpuTime {

    /** Linux's USER_HZ, the unit of utime and stime; 100 on every mainstream kernel. */
    private static final double TICKS_PER_SECOND = 100.0;

    private CpuTime() {
    }

    public static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may contain spaces: count fields after its closing parenthesis
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public static long self() {
        return ProcessHandle.current().pid();
    }
}
