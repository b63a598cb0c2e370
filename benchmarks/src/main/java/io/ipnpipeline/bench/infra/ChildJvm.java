package io.ipnpipeline.bench.infra;

import io.ipnpipeline.bench.Deployment;
import io.ipnpipeline.processor.app.ProcessorMain;
import io.ipnpipeline.sink.SinkMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service run in a JVM of its own, from the benchmark's jar, with its own heap cap and environment, as it
 * would run in production. That is what makes its resident memory measurable. Output goes to a log file.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChildJvm.class);
    /** Where the services' classes are: the shaded jar (set by the smoke IT) or this JVM's class path. */
    private static final String CLASSPATH_PROPERTY = "bench.jar";
    /**
     * The services' logging configuration: production-like by default; {@code -Dbench.serviceLogback=
     * logback-quiet.xml} (WARN only) is a diagnostic that shows what the per-IPN log lines cost.
     */
    private static final String LOGBACK_PROPERTY = "bench.serviceLogback";
    /**
     * Services whose own logback.xml differs from the common copy: the shaded jar can hold only one logback.xml,
     * so each kind gets a copy: the processor and the sink append on their working thread, without the gateway's
     * async appender.
     */
    private static final Map<String, String> SERVICE_LOGBACK = Map.of(
            ProcessorMain.class.getName(), "logback-on-thread.xml",
            SinkMain.class.getName(), "logback-on-thread.xml");
    /**
     * Extra JVM options for every service, for profiling (e.g. {@code -Dbench.serviceJvmArgs="-XX:StartFlightRecording=
     * filename=/tmp/{name}.jfr,settings=profile"}); whitespace-separated, {@code {name}} becomes the service's name.
     * {@code -Dbench.jvmArgs.<name>="..."} adds options to the one child called {@code name} only. A collector named
     * there ({@code -XX:+Use...GC}) replaces the one {@link Deployment} gives the service.
     */
    private static final String JVM_ARGS_PROPERTY = "bench.serviceJvmArgs";
    private static final String JVM_ARGS_PREFIX = "bench.jvmArgs.";

    private final String name;
    private final Process process;
    private final Path log;
    private final AtomicLong peakRss = new AtomicLong(-1);

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} with {@code -Xmx<heap>} and {@code env} added to this process's environment.
     * Services log as in production (INFO, one line per IPN/payment) into {@code <logDir>/<name>.log}.
     */
    public static ChildJvm start(String name, String mainClass, String heap, Map<String, String> env, Path logDir) {
        List<String> extra = extraJvmArgs(name);
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx" + heap));
        if (extra.stream().noneMatch(arg -> arg.startsWith("-XX:+Use") && arg.endsWith("GC"))) {
            command.add(Deployment.collector(mainClass));
        }
        command.addAll(List.of("-Dlogback.configurationFile=" + System.getProperty(LOGBACK_PROPERTY,
                        SERVICE_LOGBACK.getOrDefault(mainClass, "logback-service.xml")),
                "-Djava.io.tmpdir=" + logDir.resolve("tmp")));
        command.addAll(extra);
        command.addAll(List.of("-cp", classpath(), mainClass));
        return launch(name, command, env, logDir, "-Xmx" + heap);
    }

    /**
     * Starts {@code java -jar <jar> <args>} as a user runs a runnable jar: no heap cap and no collector chosen
     * (the JVM's defaults), the jar's own logging configuration; only the temporary directory is the run's, and
     * {@code -Dbench.serviceJvmArgs} and {@code -Dbench.jvmArgs.<name>} still apply. Output goes to {@code <logDir>/<name>.log}.
     */
    public static ChildJvm startJar(String name, Path jar, List<String> args, Map<String, String> env, Path logDir) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Djava.io.tmpdir=" + logDir.resolve("tmp")));
        command.addAll(extraJvmArgs(name));
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(args);
        return launch(name, command, env, logDir, "default heap");
    }

    private static ChildJvm launch(String name, List<String> command, Map<String, String> env, Path logDir,
            String heap) {
        Path log = logDir.resolve(name + ".log");
        try {
            Files.createDirectories(logDir.resolve("tmp"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            Process process = builder.start();
            LOG.info("started {} (pid {}, {}), log {}", name, process.pid(), heap, log);
            return new ChildJvm(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private static List<String> extraJvmArgs(String name) {
        String args = (System.getProperty(JVM_ARGS_PROPERTY, "") + " "
                + System.getProperty(JVM_ARGS_PREFIX + name, "")).strip();
        return args.isEmpty() ? List.of() : List.of(args.replace("{name}", name).split("\\s+"));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String classpath() {
        String jar = System.getProperty(CLASSPATH_PROPERTY);
        return jar != null && !jar.isBlank() ? jar : System.getProperty("java.class.path");
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** Fails with the tail of its log when the child has exited. */
    public void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log tail:\n" + logTail());
        }
    }

    /** Records the kernel's high-water mark now; call before stopping, since it is gone with the process. */
    public long samplePeakRss() {
        long now = ProcessMemory.peakRss(process.pid());
        if (now > 0) {
            peakRss.accumulateAndGet(now, Math::max);
        }
        return peakRss.get();
    }

    public long peakRss() {
        return peakRss.get();
    }

    /** SIGTERM, so the service shuts down gracefully; SIGKILL if it has not after the timeout. */
    @Override
    public void close() {
        samplePeakRss();
        process.destroy();
        try {
            if (!process.waitFor(45, TimeUnit.SECONDS)) {
                LOG.warn("{} did not stop within 45 s; killing it", name);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The exit status once it has exited (after {@link #close}); empty while it runs. */
    public OptionalInt exitValue() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
