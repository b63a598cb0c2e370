package io.ipnpipeline.bench.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Resident memory of processes, from Linux's {@code /proc}. A JVM's peak comes from the kernel
 * ({@code VmHWM}, the high-water mark of its resident set) so no sample can miss it. PostgreSQL is many
 * processes sharing one buffer pool, so it is measured as the sum of their proportional set sizes (PSS: shared
 * pages split between the sharers), sampled.
 */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Peak resident set of one process in bytes, or -1 when it is gone or this is not Linux. */
    public static long peakRss(long pid) {
        return statusField(pid, "VmHWM:");
    }

    public static long currentRss(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** Sum of PSS of a process and all its descendants, in bytes. */
    public static long treePss(long rootPid) {
        long total = 0;
        for (long pid : descendantsAndSelf(rootPid)) {
            total += pss(pid);
        }
        return total;
    }

    private static long pss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return kibibytes(line);
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    static List<Long> descendantsAndSelf(long root) {
        List<Long> result = new ArrayList<>();
        result.add(root);
        ProcessHandle.of(root).ifPresent(handle -> handle.descendants().forEach(child -> result.add(child.pid())));
        return result;
    }

    /** The pid in a PostgreSQL data directory's {@code postmaster.pid}, or -1. */
    public static long postmasterPid(Path dataDir) {
        try (Stream<String> lines = Files.lines(dataDir.resolve("postmaster.pid"))) {
            return lines.findFirst().map(String::trim).map(Long::parseLong).orElse(-1L);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return kibibytes(line);
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static long kibibytes(String line) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]) * 1024;
    }
}
