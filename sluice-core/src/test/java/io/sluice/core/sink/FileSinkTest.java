package io.sluice.core.sink;

import static io.sluice.core.sink.TestEvents.CLOCK;
import static io.sluice.core.sink.TestEvents.NOW;
import static io.sluice.core.sink.TestEvents.checkpoint;
import static io.sluice.core.sink.TestEvents.event;
import static io.sluice.core.sink.TestEvents.ids;
import static io.sluice.core.sink.TestEvents.lines;
import static io.sluice.core.sink.TestEvents.readJson;
import static io.sluice.core.sink.TestEvents.segments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.CheckpointCodec;
import io.sluice.core.state.Durability;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {
    @TempDir
    Path tmp;

    private Path out() {
        return tmp.resolve("out");
    }

    /** Whether the sinks under test write with direct I/O ({@link FileSinkBufferedTest} runs every test without). */
    boolean directIo() {
        return true;
    }

    FileSinkConfig config(Path state, long segmentBytes) {
        return new FileSinkConfig(out(), state, segmentBytes, true, directIo());
    }

    private FileSink sink(long segmentBytes) {
        return new FileSink(config(null, segmentBytes), CLOCK, Durability.FSYNC);
    }

    /** A first run of the sink: transaction 100 written, committed (checkpoint 200) and durable; its segment. */
    private Path oneDurableTransaction() throws IOException {
        try (FileSink s = sink()) {
            s.open();
            s.write(event(100, 0));
            s.commit(checkpoint(200));
            s.flush();
            s.awaitFlush();
        }
        return segments(out()).get(0);
    }

    private FileSink sink() {
        return sink(FileSinkConfig.DEFAULT_SEGMENT_BYTES);
    }

    private static long lineBytes(io.sluice.core.event.ChangeEvent e) {
        return io.sluice.core.encode.EventCodec.toJson(e, NOW).length + 1;
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @Test
    void committedAndFlushedEventsAppearAsJsonLinesInOrderWithTheirByteCounts() throws IOException {
        try (FileSink s = sink()) {
            assertThat(s.open()).isEmpty();
            long total = 0;
            for (int row = 0; row < 3; row++) {
                total += s.write(event(100, row));
            }
            s.commit(checkpoint(200));
            s.flush();
            s.awaitFlush();

            List<Path> segs = segments(out());
            assertThat(segs).extracting(p -> p.getFileName().toString()).containsExactly("events-000000000001.jsonl");
            assertThat(Files.size(segs.get(0))).isEqualTo(total);
            List<JsonNode> lines = lines(out());
            assertThat(ids(lines))
                    .containsExactly(
                            "shop:mysql-bin.000001:100:0",
                            "shop:mysql-bin.000001:100:1",
                            "shop:mysql-bin.000001:100:2");
            JsonNode first = lines.get(0);
            assertThat(first.get("v").asInt()).isEqualTo(1);
            assertThat(first.get("ts_ms").asLong()).isEqualTo(NOW);
            assertThat(first.get("after").get("status").asText()).isEqualTo("naïve 🚀");

            JsonNode state = readJson(out().resolve("checkpoint.json"));
            assertThat(state.get("format").asInt()).isEqualTo(1);
            assertThat(state.get("segment").asText()).isEqualTo("events-000000000001.jsonl");
            assertThat(state.get("length").asLong()).isEqualTo(total);
            assertThat(CheckpointCodec.fromJson(state.get("checkpoint"))).isEqualTo(checkpoint(200));
        }
        try (FileSink again = sink()) {
            assertThat(again.open()).contains(checkpoint(200));
        }
    }

    @Test
    void eventsRenderedAheadAndPlainEventsInterleaveByteForByteAcrossBufferAndSegmentBounds() throws IOException {
        // snapshot-like events (bodies rendered ahead) mixed with plain ones; wide enough that the 256 KiB channel
        // buffer fills mid-event many times and the segments rotate: the files must hold exactly what the generic
        // encoder writes, and every write must report its true length
        io.sluice.core.encode.EventBodies bodies = new io.sluice.core.encode.EventBodies(
                io.sluice.core.event.Op.READ,
                new io.sluice.core.event.SourceInfo(
                        "shop", 1, null, TestEvents.BINLOG, 300, 0, 1_764_000_000_000L, "sales", "orders", true),
                io.sluice.core.encode.TestRows.schema(2),
                "shop:snapshot:r1:sales.orders:");
        StringBuilder expected = new StringBuilder();
        long total = 0;
        try (FileSink s = sink(300L << 10)) {
            s.open();
            for (int i = 0; i < 3000; i++) {
                io.sluice.core.encode.Encoded e;
                if (i % 7 == 3) {
                    e = io.sluice.core.encode.Encoder.json().encode(event(100 + i, 0, 5 + i % 50));
                } else {
                    io.sluice.core.event.Row key =
                            new io.sluice.core.event.Row(new String[] {"id"}, new Object[] {(long) i});
                    io.sluice.core.event.Row after = new io.sluice.core.event.Row(
                            new String[] {"id", "note"},
                            new Object[] {(long) i, "\"q\" naïve 🚀 " + "x".repeat(i % 400)});
                    e = bodies.event("{\"id\":" + i + "}", key, null, after, i);
                }
                long n = s.write(e);
                assertThat(n).isEqualTo(lineBytes(e.event()));
                total += n;
                expected.append(new String(
                                io.sluice.core.encode.EventCodec.toJson(e.event(), NOW), StandardCharsets.UTF_8))
                        .append('\n');
                if (i % 100 == 99) {
                    s.commit(checkpoint(1000 + i));
                }
            }
            s.commit(checkpoint(9999));
            s.flush();
            s.awaitFlush();
        }
        StringBuilder actual = new StringBuilder();
        long size = 0;
        for (Path p : segments(out())) {
            actual.append(TestEvents.read(p));
            size += Files.size(p);
        }
        assertThat(segments(out())).hasSizeGreaterThan(2);
        assertThat(size).isEqualTo(total);
        assertThat(actual.toString()).isEqualTo(expected.toString());
    }

    @Test
    void flushesAndReopensAtAnyLengthLeaveExactlyTheCommittedBytesAndNoPadding() throws IOException {
        // flushes at lengths that are rarely a multiple of a block, reopenings in the middle of a block (direct I/O
        // then reads the partial block back and writes it again), events larger than the buffer, rotations: after
        // every flush the files hold exactly the events committed, and no byte more
        java.util.Random random = new java.util.Random(42);
        StringBuilder committed = new StringBuilder();
        StringBuilder uncommitted = new StringBuilder();
        long committedBytes = 0;
        long uncommittedBytes = 0;
        int seq = 0;
        for (int run = 0; run < 6; run++) {
            try (FileSink s = sink(3L << 20)) {
                s.open();
                for (int i = 0; i < 300; i++) {
                    int width = random.nextInt(60) == 0
                            ? FileSink.BUFFER_BYTES + random.nextInt(5000)
                            : random.nextInt(3000);
                    io.sluice.core.event.ChangeEvent e = event(100 + seq, 0, width);
                    seq++;
                    uncommittedBytes += s.write(e);
                    uncommitted
                            .append(new String(io.sluice.core.encode.EventCodec.toJson(e, NOW), StandardCharsets.UTF_8))
                            .append('\n');
                    if (random.nextInt(4) == 0) {
                        s.commit(checkpoint(100 + seq));
                        committed.append(uncommitted);
                        uncommitted.setLength(0);
                        committedBytes += uncommittedBytes;
                        uncommittedBytes = 0;
                        if (random.nextBoolean()) {
                            s.flush();
                            s.awaitFlush();
                            assertThat(segmentBytes()).isEqualTo(committedBytes);
                        }
                    }
                }
                s.commit(checkpoint(100 + seq));
                committed.append(uncommitted);
                uncommitted.setLength(0);
                committedBytes += uncommittedBytes;
                uncommittedBytes = 0;
                s.flush();
                s.awaitFlush();
                assertThat(allSegments()).isEqualTo(committed.toString());
                // written and drained by a flush, but never committed: the next open cuts it off
                s.write(event(100 + seq, 1, random.nextInt(9000)));
                s.flush();
                s.awaitFlush();
            }
        }
        try (FileSink s = sink(3L << 20)) {
            assertThat(s.open()).contains(checkpoint(100 + seq));
        }
        assertThat(segments(out())).hasSizeGreaterThan(3);
        assertThat(allSegments()).isEqualTo(committed.toString());
    }

    @Test
    void aRunOfSnapshotEventsIsWrittenExactlyAsItsEventsOneByOne() throws IOException {
        // rows of every size: small ones many to a scratch copy, some larger than the scratch array, one larger than
        // the segment's buffer; segments rotate inside the runs; plain events between the runs
        java.util.Random random = new java.util.Random(7);
        String[] texts = new String[400];
        for (int i = 0; i < texts.length; i++) {
            int len = i == 200
                    ? FileSink.BUFFER_BYTES + 10
                    : random.nextInt(25) == 0 ? 70_000 + random.nextInt(9000) : random.nextInt(3000);
            texts[i] = "r" + i + "x".repeat(len);
        }
        String prefix = "shop:snapshot:r1:sales.orders:";
        io.sluice.core.encode.RenderedRows rows = io.sluice.core.encode.TestRows.keyed(prefix, texts);
        io.sluice.core.encode.EventBodies bodies = new io.sluice.core.encode.EventBodies(
                io.sluice.core.event.Op.READ,
                new io.sluice.core.event.SourceInfo(
                        "shop", 1, null, TestEvents.BINLOG, 300, 0, 1_764_000_000_000L, "sales", "orders", true),
                io.sluice.core.encode.TestRows.schema(2),
                prefix);
        int[] first = new int[250];
        int[] second = new int[150];
        int a = 0;
        int b = 0;
        for (int i = 0; i < texts.length; i++) {
            if (i % 11 == 5) {
                continue; // left out, as a row the binlog changed in its chunk's window
            }
            if (i < 250) {
                first[a++] = i;
            } else {
                second[b++] = i;
            }
        }
        io.sluice.core.encode.EventRun[] runs = {
            new io.sluice.core.encode.EventRun(bodies, rows, first, a),
            new io.sluice.core.encode.EventRun(bodies, rows, second, b)
        };
        long segment = 300_000;
        long asRuns = 0;
        long oneByOne = 0;
        try (FileSink s = new FileSink(
                        new FileSinkConfig(tmp.resolve("runs"), null, segment, true, directIo()),
                        CLOCK,
                        Durability.FSYNC);
                FileSink t = new FileSink(
                        new FileSinkConfig(tmp.resolve("events"), null, segment, true, directIo()),
                        CLOCK,
                        Durability.FSYNC)) {
            s.open();
            t.open();
            assertThat(s).isInstanceOf(RunSink.class);
            for (int r = 0; r < runs.length; r++) {
                asRuns += s.write(event(100 + r, 0, 40));
                oneByOne += t.write(event(100 + r, 0, 40));
                asRuns += s.write(runs[r]);
                for (int k = 0; k < runs[r].size(); k++) {
                    oneByOne += t.write(runs[r].event(k));
                }
                s.commit(checkpoint(200 + r));
                t.commit(checkpoint(200 + r));
            }
            s.flush();
            s.awaitFlush();
            t.flush();
            t.awaitFlush();
        }
        assertThat(asRuns).isEqualTo(oneByOne);
        List<Path> runFiles = segments(tmp.resolve("runs"));
        List<Path> eventFiles = segments(tmp.resolve("events"));
        assertThat(runFiles).hasSizeGreaterThan(5).hasSameSizeAs(eventFiles);
        for (int i = 0; i < runFiles.size(); i++) {
            assertThat(Files.readAllBytes(runFiles.get(i)))
                    .as(runFiles.get(i).toString())
                    .isEqualTo(Files.readAllBytes(eventFiles.get(i)));
        }
        List<JsonNode> lines = lines(tmp.resolve("runs"));
        assertThat(lines).hasSize(2 + a + b);
        assertThat(lines.get(1).path("id").asText()).isEqualTo(prefix + "{\"k\":11}");
        assertThat(lines.get(1).path("source").path("row").asInt()).isZero();
        assertThat(lines.get(a).path("source").path("row").asInt()).isEqualTo(a - 1);
    }

    @Test
    void writesPastThePageCacheWhereTheFileSystemAllowsIt() throws IOException {
        java.nio.file.FileStore store = Files.getFileStore(tmp);
        org.junit.jupiter.api.Assumptions.assumeTrue(
                List.of("ext4", "xfs", "btrfs").contains(store.type()),
                "direct I/O is only expected of ext4, xfs and btrfs, not of " + store.type());
        try (FileSink s = sink()) {
            s.open();
            s.write(event(100, 0));
            assertThat(s.directIo()).isEqualTo(directIo());
        }
    }

    private long segmentBytes() throws IOException {
        long n = 0;
        for (Path p : segments(out())) {
            n += Files.size(p);
        }
        return n;
    }

    private String allSegments() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path p : segments(out())) {
            all.append(TestEvents.read(p));
        }
        return all.toString();
    }

    @Test
    void reopenWithoutFlushDiscardsTheUnflushedTailAndReturnsThePreviousCheckpoint() throws IOException {
        try (FileSink s = sink()) {
            s.open();
            s.write(event(100, 0));
            s.commit(checkpoint(200));
            s.flush();
            s.awaitFlush();
            s.write(event(200, 0));
            s.write(event(200, 1, 300_000)); // larger than the buffer: really reaches the file
            s.commit(checkpoint(300));

            assertThat(s.open()).contains(checkpoint(200)); // a source failure: the pipeline re-opens
            assertThat(ids(lines(out()))).containsExactly("shop:mysql-bin.000001:100:0");

            s.write(event(200, 0));
            s.commit(checkpoint(300));
            s.flush();
            s.awaitFlush();
        }
        assertThat(ids(lines(out()))).containsExactly("shop:mysql-bin.000001:100:0", "shop:mysql-bin.000001:200:0");
    }

    private static io.sluice.core.event.ChangeEvent routed(io.sluice.core.event.ChangeEvent e, String route) {
        return e.withShaping(new io.sluice.core.event.Shaping(2, route));
    }

    @Test
    void routedEventsGoToTheRoutesSubDirectoriesAndAReopenCutsEveryOneBackToTheCheckpoint() throws IOException {
        try (FileSink s = sink(4096)) {
            s.open();
            s.write(event(100, 0));
            s.write(routed(event(100, 1), "sales.orders"));
            s.write(routed(event(100, 2), "sales.all"));
            s.write(routed(event(100, 3, 5000), "sales.orders")); // the route's segment rotates at its own bound
            s.write(routed(event(100, 4), "sales.orders"));
            s.commit(checkpoint(200));
            s.flush();
            s.awaitFlush();
            // a crash in the next transaction: written, some of it reaching the files, never committed
            s.write(routed(event(200, 0, 300_000), "sales.orders"));
            s.write(routed(event(200, 1, 300_000), "late"));
            s.write(event(200, 2, 300_000));
        }
        JsonNode doc = readJson(out().resolve("checkpoint.json"));
        assertThat(doc.get("routes").get("sales.orders").get("segment").asText())
                .isEqualTo("events-000000000002.jsonl");
        assertThat(doc.get("routes").get("sales.all").get("length").asLong())
                .isEqualTo(lineBytes(routed(event(100, 2), "sales.all")));
        assertThat(doc.has("late")).isFalse();
        assertThat(segments(out().resolve("late"))).isNotEmpty();

        try (FileSink s = sink(4096)) {
            assertThat(s.open()).contains(checkpoint(200));
            assertThat(ids(lines(out()))).containsExactly("shop:mysql-bin.000001:100:0");
            assertThat(ids(lines(out().resolve("sales.orders"))))
                    .containsExactly(
                            "shop:mysql-bin.000001:100:1",
                            "shop:mysql-bin.000001:100:3",
                            "shop:mysql-bin.000001:100:4");
            assertThat(lines(out().resolve("sales.orders")).get(0).get("route").asText())
                    .isEqualTo("sales.orders");
            assertThat(ids(lines(out().resolve("sales.all")))).containsExactly("shop:mysql-bin.000001:100:2");
            assertThat(segments(out().resolve("late"))).isEmpty(); // a route no checkpoint covered yet
            // the re-read transaction lands once in each place
            s.write(routed(event(200, 0), "sales.orders"));
            s.write(routed(event(200, 1), "late"));
            s.write(event(200, 2));
            s.commit(checkpoint(300));
            s.flush();
            s.awaitFlush();
        }
        assertThat(ids(lines(out()))).hasSize(2);
        assertThat(ids(lines(out().resolve("sales.orders")))).hasSize(4).doesNotHaveDuplicates();
        assertThat(ids(lines(out().resolve("late")))).containsExactly("shop:mysql-bin.000001:200:1");

        try (FileSink s = sink()) {
            s.open();
            assertThatThrownBy(() -> s.write(routed(event(300, 0), "../escape")))
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining("'../escape'")
                    .hasMessageContaining("rule version 2");
        }
    }

    @Test
    void aCrashTailPastTheCheckpointIsCutOffByTheNextOpen() throws IOException {
        Path seg = oneDurableTransaction();
        long committed = Files.size(seg);
        append(seg, "{\"v\":1,\"id\":\"half a transa");
        Files.writeString(out().resolve("events-000000000002.jsonl"), "{\"v\":1}\n");

        try (FileSink s = sink()) {
            assertThat(s.open()).contains(checkpoint(200));
        }
        assertThat(Files.size(seg)).isEqualTo(committed);
        assertThat(segments(out())).hasSize(1);
    }

    @Test
    void dataWrittenAfterTheLastCommitIsDiscardedOnReopenEvenWhenAFlushWroteItOut() throws IOException {
        try (FileSink s = sink()) {
            s.open();
            s.write(event(100, 0));
            s.commit(checkpoint(200));
            s.write(event(200, 0)); // half of the next transaction
            s.flush(); // makes transaction 100 durable; the half transaction reaches the file too
            s.awaitFlush();
            assertThat(lines(out())).hasSize(2);
        }
        try (FileSink s = sink()) {
            assertThat(s.open()).contains(checkpoint(200));
        }
        assertThat(ids(lines(out()))).containsExactly("shop:mysql-bin.000001:100:0");
    }

    @Test
    void aCrashBeforeTheFirstCommitLeavesNoDataAndNoCheckpoint() throws IOException {
        try (FileSink s = sink()) {
            assertThat(s.open()).isEmpty();
            s.write(event(100, 0, FileSink.BUFFER_BYTES + 50_000)); // more than the buffer: some reaches the file
        }
        assertThat(Files.size(segments(out()).get(0))).isPositive();
        try (FileSink s = sink()) {
            assertThat(s.open()).isEmpty();
        }
        assertThat(lines(out())).isEmpty();
    }

    @Test
    void rotatesBetweenEventsAtTheSizeBoundAndATransactionMaySpanTwoSegments() throws IOException {
        long one = lineBytes(event(100, 0)); // every test event has the same size

        try (FileSink s = sink(2 * one)) {
            s.open();
            s.write(event(100, 0));
            s.commit(checkpoint(200));
            for (int row = 0; row < 3; row++) {
                s.write(event(200, row)); // rows 0 in segment 1, 1 and 2 in segment 2
            }
            s.commit(checkpoint(300));
            s.flush();
            s.awaitFlush();
        }
        List<Path> segs = segments(out());
        assertThat(segs)
                .extracting(p -> p.getFileName().toString())
                .containsExactly("events-000000000001.jsonl", "events-000000000002.jsonl");
        assertThat(ids(TestEvents.parse(TestEvents.read(segs.get(0)))))
                .containsExactly("shop:mysql-bin.000001:100:0", "shop:mysql-bin.000001:200:0");
        assertThat(ids(TestEvents.parse(TestEvents.read(segs.get(1)))))
                .containsExactly("shop:mysql-bin.000001:200:1", "shop:mysql-bin.000001:200:2");
        JsonNode state = readJson(out().resolve("checkpoint.json"));
        assertThat(state.get("segment").asText()).isEqualTo("events-000000000002.jsonl");
        assertThat(state.get("length").asLong()).isEqualTo(2 * one);

        try (FileSink s = sink(2 * one)) {
            assertThat(s.open()).contains(checkpoint(300));
            s.write(event(300, 0)); // segment 2 is full: goes to segment 3
            s.commit(checkpoint(400));
            s.flush();
            s.awaitFlush();
        }
        assertThat(segments(out())).hasSize(3);
        assertThat(lines(out())).hasSize(5);
    }

    @Test
    void reopenCutsATransactionSpanningSegmentsBackToTheCheckpointAndDeletesTheLaterSegment() throws IOException {
        long one = lineBytes(event(100, 0)); // every test event has the same size

        try (FileSink s = sink(2 * one)) {
            s.open();
            s.write(event(100, 0));
            s.commit(checkpoint(200));
            for (int row = 0; row < 3; row++) {
                s.write(event(200, row));
            }
            s.flush(); // checkpoint 200 durable; transaction 200 reached both segments but is not committed
            s.awaitFlush();
            assertThat(segments(out())).hasSize(2);
            assertThat(lines(out())).hasSize(4);

            assertThat(s.open()).contains(checkpoint(200));
        }
        assertThat(segments(out()))
                .extracting(p -> p.getFileName().toString())
                .containsExactly("events-000000000001.jsonl");
        assertThat(ids(lines(out()))).containsExactly("shop:mysql-bin.000001:100:0");
    }

    @Test
    void theCheckpointFileIsReplacedAtomicallyAndNoTemporaryFileIsLeft() throws IOException {
        Files.createDirectories(out());
        Files.writeString(out().resolve("checkpoint.json.tmp"), "{\"half\":"); // a write cut short by a crash
        try (FileSink s = sink()) {
            assertThat(s.open()).isEmpty();
            for (int tx = 1; tx <= 5; tx++) {
                s.write(event(tx * 100L, 0));
                s.commit(checkpoint(tx * 100L + 100));
                s.flush();
                s.awaitFlush();
                try (var files = Files.list(out())) {
                    assertThat(files.map(p -> p.getFileName().toString()))
                            .containsExactlyInAnyOrder("checkpoint.json", "events-000000000001.jsonl");
                }
                assertThat(CheckpointCodec.fromJson(
                                readJson(out().resolve("checkpoint.json")).get("checkpoint")))
                        .isEqualTo(checkpoint(tx * 100L + 100));
            }
        }
    }

    @Test
    void dataIsFsyncedBeforeTheCheckpointThatCoversItIsRenamedIntoPlace() throws IOException {
        List<String> calls = new ArrayList<>();
        Path state = tmp.resolve("state");
        Durability recording = new Durability() {
            @Override
            public void force(FileChannel channel, Path file) throws IOException {
                Durability.FSYNC.force(channel, file);
                calls.add("force " + file.getFileName() + " (checkpoint.json says " + committedLength() + ")");
            }

            @Override
            public void forceDirectory(Path dir) throws IOException {
                Durability.FSYNC.forceDirectory(dir);
                calls.add("force dir " + dir.getFileName() + " (checkpoint.json says " + committedLength() + ")");
            }

            private String committedLength() {
                Path f = state.resolve("checkpoint.json");
                return Files.exists(f) ? readJson(f).get("length").asText() : "nothing";
            }
        };
        long one;
        try (FileSink s = new FileSink(config(state, 1), CLOCK, recording)) {
            s.open();
            calls.clear();
            one = s.write(event(100, 0));
            s.write(event(100, 1)); // rotates: segment 2
            s.commit(checkpoint(200));
            s.flush();
            s.awaitFlush();
        }
        assertThat(calls)
                .containsExactly(
                        "force events-000000000001.jsonl (checkpoint.json says 0)",
                        "force events-000000000002.jsonl (checkpoint.json says 0)",
                        "force checkpoint.json.tmp (checkpoint.json says 0)",
                        "force dir state (checkpoint.json says " + one + ")");
    }

    @Test
    void aBackgroundFlushCoversWhatWasCommittedWhenItStartedWhileWritesGoOn() throws IOException {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> forcedOn = java.util.Collections.synchronizedList(new ArrayList<>());
        Durability slow = new Durability() {
            @Override
            public void force(FileChannel channel, Path file) throws IOException {
                if (!file.getFileName().toString().startsWith("events-")) {
                    Durability.FSYNC.force(channel, file);
                    return;
                }
                try {
                    release.await(); // a segment's fsync takes as long as the test wants
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                forcedOn.add(Thread.currentThread().getName());
                Durability.FSYNC.force(channel, file);
            }

            @Override
            public void forceDirectory(Path dir) throws IOException {
                Durability.FSYNC.forceDirectory(dir);
            }
        };
        Path state = tmp.resolve("state");
        try (FileSink s = new FileSink(config(state, FileSinkConfig.DEFAULT_SEGMENT_BYTES), CLOCK, slow)) {
            s.open();
            long first = s.write(event(100, 0)) + s.write(event(100, 1));
            s.commit(checkpoint(200));
            assertThat(s.flush()).as("the flush goes on in the background").isFalse();
            // the pipeline's thread writes and commits on while the fsync runs
            long more = s.write(event(200, 0));
            s.commit(checkpoint(300));
            assertThat(forcedOn).as("the segment's fsync is still held").isEmpty();
            release.countDown();
            s.awaitFlush();
            assertThat(forcedOn).allMatch(n -> n.equals("sluice-file-flush"));
            JsonNode doc = readJson(state.resolve("checkpoint.json"));
            assertThat(doc.get("length").asLong())
                    .as("only what was committed when the flush started")
                    .isEqualTo(first);
            assertThat(CheckpointCodec.fromJson(doc.get("checkpoint"))).isEqualTo(checkpoint(200));
            s.flush();
            s.awaitFlush();
            assertThat(readJson(state.resolve("checkpoint.json")).get("length").asLong())
                    .isEqualTo(first + more);
        }
        try (FileSink again =
                new FileSink(config(state, FileSinkConfig.DEFAULT_SEGMENT_BYTES), CLOCK, Durability.FSYNC)) {
            assertThat(again.open()).contains(checkpoint(300));
            assertThat(ids(lines(out()))).hasSize(3);
        }
    }

    @Test
    void aBackgroundFsyncThatFailsFailsTheAwaitAndEveryLaterWrite() throws IOException {
        Durability failing = new Durability() {
            @Override
            public void force(FileChannel channel, Path file) throws IOException {
                if (file.getFileName().toString().startsWith("events-")) {
                    throw new IOException("fsync of " + file + " failed: Input/output error");
                }
            }

            @Override
            public void forceDirectory(Path dir) {}
        };
        Path state = tmp.resolve("state");
        try (FileSink s = new FileSink(config(state, FileSinkConfig.DEFAULT_SEGMENT_BYTES), CLOCK, failing)) {
            s.open();
            s.write(event(100, 0));
            s.commit(checkpoint(200));
            assertThat(s.flush()).isFalse();
            org.assertj.core.api.Assertions.assertThatThrownBy(s::awaitFlush)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Input/output error");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.write(event(300, 0)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("failed earlier");
            JsonNode doc = readJson(state.resolve("checkpoint.json"));
            assertThat(doc.get("length").asLong())
                    .as("no checkpoint past the failed fsync")
                    .isZero();
        }
    }

    @Test
    void aFailedFsyncNeverLeavesACheckpointPointingPastDurableData() throws IOException {
        boolean[] fail = {false};
        Durability failing = new Durability() {
            @Override
            public void force(FileChannel channel, Path file) throws IOException {
                if (fail[0]) {
                    throw new IOException("fsync of " + file + " failed: No space left on device");
                }
            }

            @Override
            public void forceDirectory(Path dir) {}
        };
        try (FileSink s = new FileSink(config(null, FileSinkConfig.DEFAULT_SEGMENT_BYTES), CLOCK, failing)) {
            s.open();
            s.write(event(100, 0));
            s.commit(checkpoint(200));
            s.flush();
            s.awaitFlush();
            s.write(event(200, 0));
            s.commit(checkpoint(300));
            fail[0] = true;
            assertThatThrownBy(() -> {
                        s.flush();
                        s.awaitFlush();
                    })
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(
                            out().resolve("events-000000000001.jsonl").toString());
            assertThatThrownBy(() -> s.write(event(300, 0)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("open it again");
            fail[0] = false;
            assertThat(s.open()).contains(checkpoint(200));
        }
        assertThat(ids(lines(out()))).containsExactly("shop:mysql-bin.000001:100:0");
    }

    @Test
    void writingIntoAMissingOutputDirectorySurfacesAnIOExceptionNamingTheSegmentFile() throws IOException {
        Path state = tmp.resolve("state");
        try (FileSink s = new FileSink(config(state, 1024), CLOCK, Durability.FSYNC)) {
            s.open();
            Files.delete(out());
            assertThatThrownBy(() -> s.write(event(100, 0)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(
                            out().resolve("events-000000000001.jsonl").toString());
        }
    }

    @Test
    void aMissingStateDirectoryAtFlushSurfacesAnIOExceptionNamingTheCheckpointFile() throws IOException {
        Path state = tmp.resolve("state");
        try (FileSink s = new FileSink(config(state, 1024), CLOCK, Durability.FSYNC)) {
            s.open();
            Files.delete(state.resolve("checkpoint.json"));
            Files.delete(state);
            s.write(event(100, 0));
            s.commit(checkpoint(200));
            assertThatThrownBy(() -> {
                        s.flush();
                        s.awaitFlush();
                    })
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(state.resolve("checkpoint.json.tmp").toString());
        }
        assertThat(state).doesNotExist();
    }

    @Test
    void anOutputDirectoryDeletedWhileRunningFailsTheNextFlushAndTheCheckpointStaysAtVisibleData() throws IOException {
        Path state = tmp.resolve("state");
        try (FileSink s = new FileSink(config(state, 1 << 20), CLOCK, Durability.FSYNC)) {
            s.open();
            s.write(event(100, 0));
            s.commit(checkpoint(200));
            s.flush();
            s.awaitFlush();
            TestEvents.deleteTree(out());
            s.write(event(200, 0)); // into the open, deleted file: the kernel takes it without a word
            s.commit(checkpoint(300));
            assertThatThrownBy(() -> {
                        s.flush();
                        s.awaitFlush();
                    })
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining(out().resolve("events-000000000001.jsonl") + " is gone (deleted or moved)")
                    .hasMessageContaining("the output directory " + out() + " is gone")
                    .hasMessageContaining("the checkpoint in " + state.resolve("checkpoint.json") + " stays");
            assertThatThrownBy(() -> s.write(event(300, 0))).isInstanceOf(IOException.class);
        }
        assertThat(readJson(state.resolve("checkpoint.json"))
                        .path("checkpoint")
                        .path("position")
                        .path("pos")
                        .asLong())
                .isEqualTo(200);
    }

    @Test
    void aSegmentReplacedByAnotherFileWhileRunningFailsTheNextFlush() throws IOException {
        Path state = tmp.resolve("state");
        try (FileSink s = new FileSink(config(state, 1 << 20), CLOCK, Durability.FSYNC)) {
            s.open();
            s.write(event(100, 0));
            s.commit(checkpoint(200));
            Path seg = out().resolve("events-000000000001.jsonl");
            Files.delete(seg);
            Files.writeString(seg, "");
            assertThatThrownBy(() -> {
                        s.flush();
                        s.awaitFlush();
                    })
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining(seg + " was replaced by another file");
        }
        assertThat(readJson(state.resolve("checkpoint.json")).has("checkpoint")).isFalse();
    }

    @Test
    void anOutputDirectoryDeletedWhileNoSegmentIsOpenFailsTheNextFlushToo() throws IOException {
        Path state = tmp.resolve("state");
        try (FileSink s = new FileSink(config(state, 1 << 20), CLOCK, Durability.FSYNC)) {
            s.open();
            TestEvents.deleteTree(out());
            s.commit(checkpoint(200)); // a transaction with no captured rows
            assertThatThrownBy(() -> {
                        s.flush();
                        s.awaitFlush();
                    })
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining("the output directory " + out() + " is gone");
        }
    }

    @Test
    void segmentsWithoutACheckpointAreRefusedAsDataFromAnUnknownRun() throws IOException {
        Files.createDirectories(out());
        Files.writeString(out().resolve("events-000000000007.jsonl"), "{\"v\":1}\n");
        try (FileSink s = sink()) {
            assertThatThrownBy(s::open)
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining(out().toString())
                    .hasMessageContaining("events-000000000007.jsonl")
                    .hasMessageContaining("unknown run");
        }
        assertThat(TestEvents.read(out().resolve("events-000000000007.jsonl"))).isEqualTo("{\"v\":1}\n");
    }

    @Test
    void emptyLeftoverSegmentsWithoutACheckpointAreRemoved() throws IOException {
        Files.createDirectories(out());
        Files.createFile(out().resolve("events-000000000003.jsonl"));
        try (FileSink s = sink()) {
            assertThat(s.open()).isEmpty();
            s.write(event(100, 0));
            s.commit(checkpoint(200));
            s.flush();
            s.awaitFlush();
        }
        assertThat(segments(out()))
                .extracting(p -> p.getFileName().toString())
                .containsExactly("events-000000000001.jsonl");
    }

    @Test
    void aCorruptCheckpointFileIsAClearErrorNamingIt() throws IOException {
        Files.createDirectories(out());
        Path cp = out().resolve("checkpoint.json");
        Files.writeString(cp, "{\"format\": 1, \"sink\": \"file\", \"segm");
        try (FileSink s = sink()) {
            assertThatThrownBy(s::open)
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining(cp.toString())
                    .hasMessageContaining("corrupt");
        }
        Files.writeString(cp, "{\"format\": 1, \"sink\": \"file\", \"segment\": \"events-000000000001.jsonl\"}");
        try (FileSink s = sink()) {
            assertThatThrownBy(s::open)
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining(cp.toString())
                    .hasMessageContaining("length");
        }
        Files.writeString(cp, "{\"format\": 9, \"sink\": \"file\"}");
        try (FileSink s = sink()) {
            assertThatThrownBy(s::open)
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining(cp.toString())
                    .hasMessageContaining("format");
        }
    }

    @Test
    void aCheckpointOfAnotherKindOfSinkIsRefused() throws IOException {
        try (StdoutSink other = new StdoutSink(new java.io.ByteArrayOutputStream(), out(), CLOCK, Durability.FSYNC)) {
            other.open();
            other.commit(checkpoint(200));
            other.flush();
            other.awaitFlush();
        }
        try (FileSink s = sink()) {
            assertThatThrownBy(s::open)
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining("'stdout' sink")
                    .hasMessageContaining("own state directory");
        }
    }

    @Test
    void aCheckpointPointingPastTheDataOnDiskIsAClearError() throws IOException {
        Path seg = oneDurableTransaction();
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(5);
        }
        try (FileSink s = sink()) {
            assertThatThrownBy(s::open)
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining(seg.toString())
                    .hasMessageContaining("holds only 5");
        }
    }

    @Test
    void theFactoryReturnsAWorkingFileSink() throws IOException {
        try (Sink s =
                Sinks.file(config(null, FileSinkConfig.DEFAULT_SEGMENT_BYTES).withFsync(false), CLOCK)) {
            Optional<Checkpoint> from = s.open();
            assertThat(from).isEmpty();
            s.write(event(100, 0));
            s.commit(checkpoint(200));
            s.flush();
            s.awaitFlush();
        }
        assertThat(lines(out())).hasSize(1);
    }

    @Test
    void theConfigDefaultsTo128MiBSegmentsTheCheckpointNextToTheDataAndFsync() {
        FileSinkConfig c = FileSinkConfig.of(Path.of("/data/out"));
        assertThat(c.segmentBytes()).isEqualTo(128L << 20);
        assertThat(c.stateDir()).isEqualTo(Path.of("/data/out"));
        assertThat(c.fsync()).isTrue();
        assertThatThrownBy(() -> c.withSegmentBytes(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A clock the test moves. */
    private static final class MovableClock extends java.time.Clock {
        final java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis.get());
        }
    }

    private static void writeCommitted(FileSink s, long pos) throws IOException {
        s.write(event(pos, 0));
        s.commit(checkpoint(pos + 1));
        s.flush();
        s.awaitFlush();
    }

    private List<String> segmentNames() {
        return segments(out()).stream().map(p -> p.getFileName().toString()).toList();
    }

    private static String seg(int i) {
        return FileSink.segmentName(i);
    }

    @Test
    void retentionByAgeDeletesOldSegmentsBeforeTheCommittedOneAgainstTheSinksClock() throws IOException {
        MovableClock clock = new MovableClock();
        long start = System.currentTimeMillis();
        clock.millis.set(start);
        Path state = tmp.resolve("state");
        FileSinkConfig cfg =
                config(state, 1).withRetention(new FileSinkConfig.Retention(java.time.Duration.ofHours(1), 0));
        try (FileSink s = new FileSink(cfg, clock, Durability.FSYNC)) {
            s.open();
            for (int i = 0; i < 4; i++) {
                writeCommitted(s, 100 + i); // one event per segment: segments 1 to 4, the checkpoint in 4
            }
            java.nio.file.attribute.FileTime twoHoursAgo =
                    java.nio.file.attribute.FileTime.fromMillis(start - 2 * 3_600_000);
            Files.setLastModifiedTime(out().resolve(seg(1)), twoHoursAgo);
            Files.setLastModifiedTime(out().resolve(seg(2)), twoHoursAgo);
            Files.setLastModifiedTime(
                    out().resolve(seg(3)), java.nio.file.attribute.FileTime.fromMillis(start - 600_000));
            writeCommitted(s, 104);
            assertThat(segmentNames()).as("older than an hour: 1 and 2").containsExactly(seg(3), seg(4), seg(5));

            clock.millis.addAndGet(3 * 3_600_000L); // three hours on: every segment is older than the maximum age
            writeCommitted(s, 105);
            assertThat(segmentNames())
                    .as("all but the committed checkpoint's segment, though it is as old")
                    .containsExactly(seg(6));
            assertThat(ids(lines(out()))).hasSize(1);
        }
        // a restart keeps what the checkpoint names and deletes nothing else that is newer
        try (FileSink again = new FileSink(cfg, clock, Durability.FSYNC)) {
            assertThat(again.open()).isPresent();
            assertThat(segmentNames()).containsExactly(seg(6));
        }
    }

    @Test
    void retentionBySizeDeletesTheOldestUntilTheRestFitsButNeverTheCommittedSegmentOrLater() throws IOException {
        MovableClock clock = new MovableClock();
        clock.millis.set(System.currentTimeMillis());
        long line = lineBytes(event(100, 0));
        Path state = tmp.resolve("state");
        FileSinkConfig cfg = config(state, 1).withRetention(new FileSinkConfig.Retention(null, 2 * line + line / 2));
        try (FileSink s = new FileSink(cfg, clock, Durability.FSYNC)) {
            s.open();
            for (int i = 0; i < 5; i++) {
                writeCommitted(s, 100 + i);
            }
            assertThat(segmentNames()).containsExactly(seg(4), seg(5));
            // an event not committed yet sits in a later segment: kept, as is the committed one
            s.write(event(105, 0));
            s.write(event(106, 0));
            assertThat(segmentNames()).containsExactly(seg(4), seg(5), seg(6), seg(7));
            s.commit(checkpoint(107));
            s.flush();
            s.awaitFlush();
            assertThat(segmentNames()).as("the checkpoint is in 7 now").containsExactly(seg(6), seg(7));
        }
    }

    @Test
    void withoutRetentionEverySegmentStays() throws IOException {
        MovableClock clock = new MovableClock();
        clock.millis.set(System.currentTimeMillis());
        try (FileSink s = new FileSink(config(tmp.resolve("state"), 1), clock, Durability.FSYNC)) {
            s.open();
            for (int i = 0; i < 3; i++) {
                writeCommitted(s, 100 + i);
            }
            clock.millis.addAndGet(365L * 24 * 3_600_000);
            writeCommitted(s, 103);
            assertThat(segmentNames()).containsExactly(seg(1), seg(2), seg(3), seg(4));
        }
    }
}
