package io.ipnpipeline.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's chromium, headless, isolated (fresh profile, no network beyond what the page asks for). Virtual time
 * lets the page's timers run ahead (its 5 s polls), waiting for every request to finish, so a test sees what a
 * customer would after that long.
 */
final class HeadlessChromium {

    static final Path BINARY = Path.of("/usr/bin/chromium");

    private final Path profiles;

    HeadlessChromium(Path profiles) {
        this.profiles = profiles;
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** The DOM after {@code virtualMillis} of the page's time. */
    String dumpDom(String url, long virtualMillis) {
        return run(url, virtualMillis, "--dump-dom");
    }

    void screenshot(String url, long virtualMillis, Path png) {
        run(url, virtualMillis, "--screenshot=" + png.toAbsolutePath(), "--window-size=720,640",
                "--hide-scrollbars");
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
    }

    private String run(String url, long virtualMillis, String... extra) {
        try {
            Path profile = Files.createTempDirectory(Files.createDirectories(profiles), "chromium-");
            List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--user-data-dir=" + profile, "--virtual-time-budget=" + virtualMillis));
            command.addAll(List.of(extra));
            command.add(url);
            Path stdout = profile.resolve("stdout.txt");
            Process process = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(profile.resolve("stderr.txt").toFile())
                    .start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("chromium did not finish within 90 s: " + command);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("chromium exited " + process.exitValue() + ": "
                        + Files.readString(profile.resolve("stderr.txt"), StandardCharsets.UTF_8));
            }
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
