package io.ipnpipeline.ops.replay;

import io.ipnpipeline.ops.cli.OpsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Deletes the processor's local Kafka Streams state ({@code <state dir>/<application id>}), as
 * {@code KafkaStreams.cleanUp()} would. The stores come back from their changelog topics on the next start, so
 * nothing is lost: this cures a corrupt or stale local copy, it does not forget what was deduplicated or parked.
 * Run it on the processor's host, with the processor stopped.
 */
public final class StateWipe {

    private StateWipe() {
    }

    /** Returns how many files and directories were deleted (0 when there was no state). */
    public static int wipe(Path stateDir, String applicationId) {
        Path appDir = stateDir.resolve(applicationId).normalize();
        if (!appDir.startsWith(stateDir.normalize()) || appDir.equals(stateDir.normalize())) {
            throw new OpsException(OpsException.REFUSED, "refusing to delete " + appDir + ": not inside " + stateDir);
        }
        if (!Files.exists(appDir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        if (!Files.isDirectory(appDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new OpsException(OpsException.REFUSED, "refusing to delete " + appDir + ": not a directory");
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(appDir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            throw new OpsException("cannot read " + appDir + ": " + e.getMessage(), e);
        }
        for (Path path : paths) {
            try {
                Files.delete(path);
            } catch (IOException e) {
                throw new OpsException("cannot delete " + path + ": " + e.getMessage(), e);
            }
        }
        return paths.size();
    }
}
