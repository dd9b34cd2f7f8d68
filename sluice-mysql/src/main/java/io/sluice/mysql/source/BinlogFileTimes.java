package io.sluice.mysql.source;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventType;
import io.sluice.core.SluiceException;
import io.sluice.mysql.decode.RowsDeserializers;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * When each binlog file began: the timestamp of the format description event that opens it (written when the server
 * opened the file), read over a binlog connection of its own that asks for the file from its start and leaves after
 * that first event. Every event of the files before it is of that time or earlier (a transaction is written, with
 * the timestamps of its statements, before the rotation that opens the next file), so a binary search over these
 * times finds the file to read from for a time ({@link #lastBegunBefore}).
 */
public final class BinlogFileTimes {
    /** When a file began, as seconds-resolution binlog time. */
    @FunctionalInterface
    public interface Begun {
        Instant of(String file) throws InterruptedException;
    }

    private final MySqlSourceConfig config;

    /** Reads the files of {@code config}'s server, under {@code config}'s server id. */
    public BinlogFileTimes(MySqlSourceConfig config) {
        this.config = config;
    }

    /** When {@code file} began: its first event's timestamp. */
    public Instant begun(String file) throws InterruptedException {
        BinaryLogClient c = new BinaryLogClient(config.host(), config.port(), config.user(), config.password());
        c.setServerId(config.serverId());
        c.setKeepAlive(false);
        c.setBinlogFilename(file);
        c.setBinlogPosition(4);
        c.setSSLMode(MySqlSource.sslMode(config.tls()));
        c.setConnectTimeout(config.connectTimeout().toMillis());
        c.setEventDeserializer(RowsDeserializers.create());
        c.setThreadFactory(r -> new Thread(r, "sluice-" + config.name() + "-binlog-time"));
        CompletableFuture<Long> first = new CompletableFuture<>();
        c.registerEventListener(e -> {
            // the ROTATE a server fakes at connect has no timestamp; the file's own first event has
            if (e.getHeader().getEventType() != EventType.ROTATE
                    && e.getHeader().getTimestamp() > 0) {
                first.complete(e.getHeader().getTimestamp());
            }
        });
        c.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient client, Exception ex) {
                first.completeExceptionally(ex);
            }

            @Override
            public void onDisconnect(BinaryLogClient client) {
                first.completeExceptionally(new IOException("disconnected before the first event of " + file));
            }
        });
        long wait = Math.max(10_000, config.connectTimeout().toMillis() * 2);
        try {
            c.connect(wait);
            return Instant.ofEpochMilli(first.get(wait, TimeUnit.MILLISECONDS));
        } catch (IOException | TimeoutException e) {
            throw SluiceException.retriable(
                    "cannot read when binlog " + file + " began from " + config.host() + ":" + config.port() + ": "
                            + e.getMessage(),
                    e);
        } catch (ExecutionException e) {
            throw SluiceException.retriable(
                    "cannot read when binlog " + file + " began from " + config.host() + ":" + config.port() + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } finally {
            try {
                c.disconnect();
            } catch (IOException ignored) {
                // leaving anyway
            }
        }
    }

    /**
     * The index in {@code files} (oldest first) of the last file that began before {@code time}, or -1 where none
     * did: a binary search, looking at about log2(n) files (the files' start times never go down). No file before
     * that one holds an event at or after {@code time}, so reading from its start misses none.
     */
    public static int lastBegunBefore(List<String> files, Instant time, Begun begun) throws InterruptedException {
        int lo = 0;
        int hi = files.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (begun.of(files.get(mid)).isBefore(time)) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
