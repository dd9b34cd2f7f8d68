package io.sluice.core.state;

import io.sluice.core.SluiceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One process's exclusive claim on a directory that Sluice writes (a pipeline's state directory, a file sink's output):
 * an operating-system lock ({@link FileChannel#tryLock()}) on {@value #FILE_NAME} in the directory, whose content names
 * the holder (pid, command, since when). The system releases the lock when the process ends, however it ends
 * (SIGKILL included): a lock file left behind is no obstacle, only a live holder is. The file itself stays.
 *
 * <p>Locks are held on behalf of the whole JVM, and closing any descriptor of a locked file may drop the process's
 * lock on it; so a directory this process already holds is recognised by a table of its own, before any file is
 * opened a second time.
 */
public final class DirectoryLock implements AutoCloseable {
    /** The lock file's name in the claimed directory. */
    public static final String FILE_NAME = ".sluice.lock";

    /** The directories (real paths) this process holds, with their holders' descriptions. */
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Claims {@code dir} (made if missing) for this process.
     *
     * @param what   what the directory is, for the message (e.g. "the state directory of pipeline shop")
     * @param holder what this process is, written into the lock file (e.g. "sluice run, pipelines shop")
     * @throws SluiceException when another process, or this one, holds it: the message names the holder's pid and
     *                         the directory
     */
    public static DirectoryLock acquire(Path dir, String what, String holder) {
        Path real;
        try {
            Files.createDirectories(dir);
            real = dir.toRealPath();
        } catch (IOException e) {
            throw SluiceException.fatal("cannot create " + what + " " + dir + ": " + e.getMessage(), e);
        }
        String me = "pid " + ProcessHandle.current().pid() + ": " + holder + ", since "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String mine = HELD.putIfAbsent(real, me);
        if (mine != null) {
            throw inUse(what, dir, "this process (" + mine + ")");
        }
        Path file = real.resolve(FILE_NAME);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                String other = read(ch);
                throw inUse(what, dir, "another Sluice process (" + (other.isEmpty() ? "pid unknown" : other) + ")");
            }
            ch.truncate(0);
            ByteBuffer text = ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8));
            while (text.hasRemaining()) {
                ch.write(text, text.position());
            }
            return new DirectoryLock(real, ch, lock);
        } catch (IOException | RuntimeException e) {
            HELD.remove(real);
            closeQuietly(ch);
            if (e instanceof SluiceException se) {
                throw se;
            }
            throw SluiceException.fatal("cannot lock " + what + " " + dir + " (" + file + "): " + e.getMessage(), e);
        }
    }

    /**
     * Who holds {@code dir} now: this process's or another live process's description, or empty when no process
     * does (the directory or its lock file missing, or a lock file left by a process that has ended). Takes the lock
     * for an instant to find out, so a {@code sluice run} starting at that very instant may be refused (it says so).
     */
    public static Optional<String> holder(Path dir) {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            return Optional.empty(); // no directory: nobody runs on it
        }
        String mine = HELD.get(real);
        if (mine != null) {
            return Optional.of("this process (" + mine + ")");
        }
        Path file = real.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                lock.release();
                return Optional.empty();
            }
            String other = read(ch);
            return Optional.of("another Sluice process (" + (other.isEmpty() ? "pid unknown" : other) + ")");
        } catch (IOException e) {
            throw SluiceException.fatal("cannot read the lock " + file + ": " + e.getMessage(), e);
        }
    }

    private static SluiceException inUse(String what, Path dir, String holder) {
        return SluiceException.fatal(what + " " + dir + " is in use by " + holder + ". Two processes writing one"
                + " pipeline's files duplicate and lose events: stop the other one first, or give this pipeline"
                + " directories of its own.");
    }

    /** The holder's description in the lock file, read through the channel already open (one line, trimmed). */
    private static String read(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(512);
        while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
            // until the buffer is full or the file ends
        }
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        return (nl >= 0 ? text.substring(0, nl) : text).strip();
    }

    /** The claimed directory (its real path). */
    public Path dir() {
        return dir;
    }

    /** Releases the claim; the lock file stays. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
        HELD.remove(dir);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing held through it any more
            }
        }
    }
}
