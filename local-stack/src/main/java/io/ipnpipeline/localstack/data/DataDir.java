package io.ipnpipeline.localstack.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The local stack's data directory: broker logs, PostgreSQL data, Kafka Streams state, the chosen ports and
 * generated secrets, so a restart finds its payments, topics and offsets again. One running stack per
 * directory: a second one would corrupt the broker's and PostgreSQL's files, so it is refused.
 */
public final class DataDir implements AutoCloseable {

    /** Marks a directory as ours, so {@code --fresh} never wipes a directory someone pointed at by mistake. */
    static final String MARKER = ".ipn-pipeline-data";
    private static final String LOCK = ".lock";

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDir(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates (or, with {@code fresh}, empties) the directory and locks it for this process. */
    public static DataDir open(Path root, boolean fresh) {
        Path dir = root.toAbsolutePath().normalize();
        try {
            refuseForeign(dir);
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another local stack is running on " + dir
                        + "; stop it first or choose another --data-dir");
            }
            // wiped only while holding the lock, so a running stack's files are never pulled from under it
            if (fresh) {
                emptyExceptLock(dir);
            }
            Files.writeString(dir.resolve(MARKER), "ipn-pipeline local stack data; safe to delete when stopped\n",
                    StandardCharsets.UTF_8);
            return new DataDir(dir, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare data directory " + dir, e);
        }
    }

    /** Null when held elsewhere: by another process, or (OverlappingFileLockException) by this one. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    public Path root() {
        return root;
    }

    public Path kafkaLogs() {
        return subdirectory("kafka");
    }

    public Path postgresData() {
        return subdirectory("postgres");
    }

    public Path streamsState() {
        return subdirectory("streams");
    }

    public Path file(String name) {
        return root.resolve(name);
    }

    public Path endpointsFile() {
        return root.resolve("endpoints.env");
    }

    /** A value kept in a file only this user can read (secrets, passwords). */
    public Optional<String> readPrivate(String name) {
        Path file = root.resolve(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).trim();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes {@code value} to a file created with mode 600 before any byte of the value is in it. */
    public void writePrivate(String name, String value) {
        Path file = root.resolve(name);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private Path subdirectory(String name) {
        Path dir = root.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return dir;
    }

    private static void refuseForeign(Path dir) throws IOException {
        if (!Files.isDirectory(dir) || Files.exists(dir.resolve(MARKER))) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalStateException(dir + " is not empty and is not a local stack data directory;"
                        + " choose another --data-dir");
            }
        }
    }

    private static void emptyExceptLock(Path dir) throws IOException {
        Path lockFile = dir.resolve(LOCK);
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!file.equals(lockFile)) {
                    Files.delete(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                if (!directory.equals(dir)) {
                    Files.delete(directory);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock on " + root, e);
        }
    }
}
