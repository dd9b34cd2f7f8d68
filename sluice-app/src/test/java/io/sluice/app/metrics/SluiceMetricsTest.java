package io.sluice.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.TestSinks;
import io.sluice.app.config.PipelineConfig;
import io.sluice.app.run.Pipelines;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.TableVersion;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.pipeline.PipelineListener;
import io.sluice.core.pipeline.PipelineState;
import io.sluice.core.pipeline.SourceStatus;
import io.sluice.core.sink.SinkMeters;
import io.sluice.mysql.source.MySqlSourceConfig;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SluiceMetricsTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final FakeBinlogs server = new FakeBinlogs();
    private SluiceMetrics metrics;
    private PipelineListener listener;

    @BeforeEach
    void setUp() {
        metrics = new SluiceMetrics(clock, Duration.ZERO, "0.0.0-test", c -> server);
        PipelineConfig config = config("orders");
        Pipeline pipeline = Pipelines.build(config, clock);
        listener = metrics.listenerFor(config, pipeline);
    }

    @Test
    void aPipelineBuiltAgainUnderItsNameKeepsItsSeries() {
        listener.written(event("shop", "orders", Op.CREATE, T0), 100);
        PipelineConfig config = config("orders");
        PipelineListener again = metrics.listenerFor(config, Pipelines.build(config, clock));
        assertThat(again).isSameAs(listener);
        again.written(event("shop", "orders", Op.CREATE, T0), 100);
        assertThat(scrape().get("sluice_events_total", "pipeline", "orders", "table", "shop.orders", "op", "c"))
                .isEqualTo(2);
    }

    @Test
    void countsEventsAndBytesByTableAndOp() {
        listener.written(event("shop", "orders", Op.CREATE, T0), 100);
        listener.written(event("shop", "orders", Op.CREATE, T0), 50);
        listener.written(event("shop", "orders", Op.UPDATE, T0), 70);
        listener.written(event("shop", "items", Op.DELETE, T0), 30);

        Scrape s = scrape();
        assertThat(s.get("sluice_events_total", "pipeline", "orders", "table", "shop.orders", "op", "c"))
                .isEqualTo(2);
        assertThat(s.get("sluice_events_total", "pipeline", "orders", "table", "shop.orders", "op", "u"))
                .isEqualTo(1);
        assertThat(s.get("sluice_events_total", "pipeline", "orders", "table", "shop.items", "op", "d"))
                .isEqualTo(1);
        assertThat(s.value("sluice_events_total", "table", "shop.items", "op", "c"))
                .isEmpty();
        assertThat(s.get("sluice_event_bytes_total", "pipeline", "orders", "table", "shop.orders"))
                .isEqualTo(220);
        assertThat(s.get("sluice_event_bytes_total", "pipeline", "orders", "table", "shop.items"))
                .isEqualTo(30);
    }

    @Test
    void latencyHistogramCountsEveryCommittedEventAndClampsNegatives() {
        long[] ts = {T0 - 2000, T0 - 1000, T0 + 500};
        listener.committed(checkpoint("bin.000001", 400, "0-1-3"), 3, ts, T0, 2_000_000);
        listener.committed(checkpoint("bin.000001", 500, "0-1-4"), 1, new long[] {T0 - 10}, T0, 1_000_000);

        Scrape s = scrape();
        assertThat(s.get("sluice_end_to_end_latency_seconds_count", "pipeline", "orders"))
                .isEqualTo(4);
        assertThat(s.get("sluice_end_to_end_latency_seconds_sum", "pipeline", "orders"))
                .isEqualTo(3.01, within());
        assertThat(s.get("sluice_end_to_end_latency_seconds_bucket", "pipeline", "orders", "le", "+Inf"))
                .isEqualTo(4);
        assertThat(s.get("sluice_commits_total", "pipeline", "orders")).isEqualTo(2);
        assertThat(s.get("sluice_flush_seconds_count", "pipeline", "orders")).isEqualTo(2);
        assertThat(s.get("sluice_flush_seconds_sum", "pipeline", "orders")).isEqualTo(0.003, within());
    }

    @Test
    void latencyHistogramIsCumulativePerBucketAndCountsRunsOfEqualSourceTimesOncePerEvent() {
        // a flush of 100,000 events from three source seconds, recorded in bulk: every event counts
        long[] ts = new long[100_000];
        java.util.Arrays.fill(ts, 0, 60_000, T0 - 3_000); // 3 s
        java.util.Arrays.fill(ts, 60_000, 99_999, T0 - 40); // 40 ms
        ts[99_999] = T0 - 1; // 1 ms
        listener.committed(checkpoint("bin.000001", 400, null), ts.length, ts, T0, 0);
        listener.committed(checkpoint("bin.000001", 500, null), 2, new long[] {T0 + 5, T0 - 700_000}, T0, 0);

        Scrape s = scrape();
        assertThat(s.get("sluice_end_to_end_latency_seconds_count", "pipeline", "orders"))
                .isEqualTo(100_002);
        assertThat(s.get("sluice_end_to_end_latency_seconds_sum", "pipeline", "orders"))
                .isEqualTo(60_000 * 3.0 + 39_999 * 0.04 + 0.001 + 0 + 700, within());
        // cumulative: le=0.001 holds the 1 ms event and the clamped negative one; le=0.05 adds the 40 ms ones
        assertThat(s.get("sluice_end_to_end_latency_seconds_bucket", "pipeline", "orders", "le", "0.001"))
                .isEqualTo(2);
        assertThat(s.get("sluice_end_to_end_latency_seconds_bucket", "pipeline", "orders", "le", "0.02"))
                .isEqualTo(2);
        assertThat(s.get("sluice_end_to_end_latency_seconds_bucket", "pipeline", "orders", "le", "0.05"))
                .isEqualTo(40_001);
        assertThat(s.get("sluice_end_to_end_latency_seconds_bucket", "pipeline", "orders", "le", "5.0"))
                .isEqualTo(100_001);
        assertThat(s.get("sluice_end_to_end_latency_seconds_bucket", "pipeline", "orders", "le", "600.0"))
                .isEqualTo(100_001);
        assertThat(s.get("sluice_end_to_end_latency_seconds_bucket", "pipeline", "orders", "le", "+Inf"))
                .isEqualTo(100_002);
        assertThat(s.get("sluice_end_to_end_latency_seconds_max", "pipeline", "orders"))
                .isEqualTo(700, within());
        // the maximum leaves after one to two windows without such an event
        listener.committed(checkpoint("bin.000001", 600, null), 1, new long[] {T0 + 70_000}, T0 + 70_010, 0);
        assertThat(scrape().get("sluice_end_to_end_latency_seconds_max", "pipeline", "orders"))
                .isEqualTo(700, within());
        listener.committed(checkpoint("bin.000001", 700, null), 1, new long[] {T0 + 140_000}, T0 + 140_020, 0);
        assertThat(scrape().get("sluice_end_to_end_latency_seconds_max", "pipeline", "orders"))
                .isEqualTo(0.02, within());
    }

    @Test
    void lagRisesWhileBehindAndIsZeroWhenCaughtUp() {
        server.files = List.of(new BinlogFile("bin.000001", 1000), new BinlogFile("bin.000002", 300));
        listener.written(event("shop", "orders", Op.CREATE, T0), 10);
        listener.committed(checkpoint("bin.000001", 900, null), 1, new long[] {T0}, T0 + 20, 0);
        listener.written(event("shop", "orders", Op.CREATE, T0 + 1000), 10);
        clock.set(T0 + 5000);
        metrics.pollNow();

        Scrape s = scrape();
        assertThat(s.get("sluice_binlog_behind_bytes", "pipeline", "orders")).isEqualTo(100 + 300);
        assertThat(s.get("sluice_source_lag_seconds", "pipeline", "orders")).isEqualTo(4.0);
        assertThat(s.get("sluice_sink_lag_seconds", "pipeline", "orders")).isEqualTo(5.0);

        clock.set(T0 + 8000);
        s = scrape();
        assertThat(s.get("sluice_source_lag_seconds", "pipeline", "orders")).isEqualTo(7.0);
        assertThat(s.get("sluice_sink_lag_seconds", "pipeline", "orders")).isEqualTo(8.0);

        listener.committed(checkpoint("bin.000002", 300, null), 1, new long[] {T0 + 1000}, T0 + 8000, 0);
        metrics.pollNow();
        s = scrape();
        assertThat(s.get("sluice_binlog_behind_bytes", "pipeline", "orders")).isZero();
        assertThat(s.get("sluice_source_lag_seconds", "pipeline", "orders")).isZero();
        assertThat(s.get("sluice_sink_lag_seconds", "pipeline", "orders")).isZero();

        // an hour idle, then a write the pipeline has not read yet: lag counts from the last caught-up poll
        clock.set(T0 + 3_608_000);
        metrics.pollNow();
        server.files = List.of(new BinlogFile("bin.000001", 1000), new BinlogFile("bin.000002", 350));
        clock.set(T0 + 3_610_000);
        metrics.pollNow();
        clock.set(T0 + 3_611_000);
        s = scrape();
        assertThat(s.get("sluice_binlog_behind_bytes", "pipeline", "orders")).isEqualTo(50);
        assertThat(s.get("sluice_sink_lag_seconds", "pipeline", "orders")).isEqualTo(3.0);
    }

    @Test
    void aFailedPollKeepsTheLastValueAndCountsTheError() {
        server.files = List.of(new BinlogFile("bin.000003", 700));
        listener.committed(checkpoint("bin.000003", 200, null), 0, new long[0], T0, 0);
        metrics.pollNow();
        server.fail = true;
        metrics.pollNow();
        metrics.pollNow();

        Scrape s = scrape();
        assertThat(s.get("sluice_binlog_behind_bytes", "pipeline", "orders")).isEqualTo(500);
        assertThat(s.get("sluice_binlog_poll_errors_total", "pipeline", "orders"))
                .isEqualTo(2);
    }

    @Test
    void bytesBehindCountsTheRestOfTheCommittedFileAndEveryLaterOne() {
        List<BinlogFile> files = List.of(
                new BinlogFile("bin.000009", 5000),
                new BinlogFile("bin.000010", 4000),
                new BinlogFile("bin.000011", 256));
        assertThat(BinlogFile.bytesBehind(new BinlogPosition("bin.000010", 1000, null), files))
                .isEqualTo(3256);
        assertThat(BinlogFile.bytesBehind(new BinlogPosition("bin.000011", 256, null), files))
                .isZero();
        assertThat(BinlogFile.bytesBehind(new BinlogPosition("bin.000002", 4, null), files))
                .isEqualTo(9256);
        assertThat(BinlogFile.bytesBehind(new BinlogPosition("bin.000012", 4, null), files))
                .isZero();
    }

    @Test
    void theCommittedPositionIsAFileNumberAndAnOffsetNeverALabelThatChangesPerCommit() {
        listener.committed(checkpoint("bin.000001", 400, "0-1-3"), 0, new long[0], T0, 0);
        Scrape s = scrape();
        assertThat(s.get("sluice_committed_binlog_file_number", "pipeline", "orders"))
                .isEqualTo(1);
        assertThat(s.get("sluice_committed_position_bytes", "pipeline", "orders"))
                .isEqualTo(400);

        listener.committed(checkpoint("bin.000002", 4, "0-1-4"), 0, new long[0], T0, 0);
        s = scrape();
        assertThat(s.get("sluice_committed_binlog_file_number", "pipeline", "orders"))
                .isEqualTo(2);
        assertThat(s.get("sluice_committed_position_bytes", "pipeline", "orders"))
                .isEqualTo(4);
        assertThat(s.text()).doesNotContain("0-1-4").doesNotContain("bin.000002");
    }

    @Test
    void snapshotSeriesArePerTableNotPerRunAndUnknownIsNaNNotMinusOne() {
        FakeSnapshot first = new FakeSnapshot("run-a", "shop.orders", 10, 100, 1, 0, 5, 0, true, false);
        List<SourceStatus.SnapshotTableStatus> runs = new java.util.concurrent.CopyOnWriteArrayList<>();
        runs.add(first);
        ((PipelineMetrics) listener).snapshots(() -> runs);
        Scrape s = scrape();
        assertThat(s.get("sluice_snapshot_rows", "pipeline", "orders", "table", "shop.orders"))
                .isEqualTo(10);
        assertThat(s.get("sluice_snapshot_done", "pipeline", "orders", "table", "shop.orders"))
                .isEqualTo(1);

        FakeSnapshot second = new FakeSnapshot("run-b", "shop.orders", 3, -1, 1, 0, 0, -1, false, false);
        runs.add(second);
        s = scrape();
        assertThat(s.all("sluice_snapshot_rows")).hasSize(1);
        assertThat(s.get("sluice_snapshot_rows", "pipeline", "orders", "table", "shop.orders"))
                .isEqualTo(3);
        assertThat(s.get("sluice_snapshot_done", "pipeline", "orders", "table", "shop.orders"))
                .isZero();
        assertThat(s.get("sluice_snapshot_rows_estimate", "pipeline", "orders", "table", "shop.orders"))
                .isNaN();
        assertThat(s.get("sluice_snapshot_eta_seconds", "pipeline", "orders", "table", "shop.orders"))
                .isNaN();
        assertThat(s.text()).doesNotContain("run-a").doesNotContain("run-b");
    }

    @Test
    void buildInfoJvmAndProcessMetricsAreThere() {
        Scrape s = scrape();
        assertThat(s.get("sluice_build_info", "version", "0.0.0-test")).isEqualTo(1);
        assertThat(s.all("jvm_memory_used_bytes")).isNotEmpty();
        assertThat(s.all("jvm_threads_live_threads")).isNotEmpty();
        assertThat(s.all("process_cpu_usage")).isNotEmpty();
        assertThat(s.all("process_uptime_seconds")).isNotEmpty();
    }

    @Test
    void jvmAndProcessMetersAreBoundAtTheFirstScrapeNotAtStart() {
        // binding them builds the JVM's management beans: a fixed start-up cost a run nobody scrapes does not pay
        assertThat(metrics.registry().find("jvm.memory.used").meters()).isEmpty();
        assertThat(metrics.registry().find("process.cpu").meters()).isEmpty();
        Scrape first = scrape();
        assertThat(first.all("jvm_memory_used_bytes")).isNotEmpty();
        assertThat(first.all("process_cpu_seconds_total")).isNotEmpty();
        int meters = metrics.registry().getMeters().size();
        assertThat(scrape().all("jvm_threads_live_threads")).isNotEmpty();
        assertThat(metrics.registry().getMeters()).as("bound once").hasSize(meters);
    }

    @Test
    void stateErrorsRetriesBlockedTimeAndSchemaVersions() {
        listener.stateChanged(PipelineState.RUNNING);
        listener.retrying(new SluiceException("connection lost", true, null), 1000);
        listener.retrying(new SluiceException("connection lost", true, null), 2000);
        listener.failed(new SluiceException("binlog purged", false, null));
        listener.stateChanged(PipelineState.FAILED);
        listener.blocked(1_500_000_000L);
        listener.committed(
                new Checkpoint(
                        new BinlogPosition("bin.000001", 4, null),
                        List.of(),
                        Map.of("shop.orders", new TableVersion(3, "f3"), "shop.items", new TableVersion(1, "f1"))),
                0,
                new long[0],
                T0,
                0);

        Scrape s = scrape();
        assertThat(s.get("sluice_pipeline_state", "pipeline", "orders", "state", "failed"))
                .isEqualTo(1);
        assertThat(s.get("sluice_pipeline_state", "pipeline", "orders", "state", "running"))
                .isZero();
        assertThat(s.all("sluice_pipeline_state", "pipeline", "orders")).hasSize(PipelineState.values().length);
        assertThat(s.get("sluice_retries_total", "pipeline", "orders")).isEqualTo(2);
        assertThat(s.get("sluice_errors_total", "pipeline", "orders", "kind", "retriable"))
                .isEqualTo(2);
        assertThat(s.get("sluice_errors_total", "pipeline", "orders", "kind", "fatal"))
                .isEqualTo(1);
        assertThat(s.get("sluice_queue_blocked_seconds_total", "pipeline", "orders"))
                .isEqualTo(1.5, within());
        assertThat(s.get("sluice_table_schema_version", "pipeline", "orders", "table", "shop.orders"))
                .isEqualTo(3);
        assertThat(s.get("sluice_table_schema_version", "pipeline", "orders", "table", "shop.items"))
                .isEqualTo(1);
        assertThat(s.get("sluice_schema_breaking_total", "pipeline", "orders", "table", "shop.orders"))
                .isZero();
        assertThat(s.get("sluice_statement_changes_total", "pipeline", "orders", "table", "shop.items"))
                .isZero();
    }

    @Test
    void statementChangesLetThroughAreCountedPerTableAsTheSourceCountsThem() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        ((PipelineMetrics) listener).statementChanges(() -> Map.copyOf(counts));
        assertThat(scrape().all("sluice_statement_changes_total")).isEmpty();
        counts.put("shop.orders", 2L);
        counts.put("*", 1L);
        Scrape s = scrape();
        assertThat(s.get("sluice_statement_changes_total", "pipeline", "orders", "table", "shop.orders"))
                .isEqualTo(2);
        assertThat(s.get("sluice_statement_changes_total", "pipeline", "orders", "table", "*"))
                .isEqualTo(1);
        counts.put("shop.orders", 3L);
        assertThat(scrape().get("sluice_statement_changes_total", "pipeline", "orders", "table", "shop.orders"))
                .isEqualTo(3);
    }

    @Test
    void eachRuleCountsMatchedDroppedChangedErrorsAndTimeUnderItsName() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        java.nio.file.Files.writeString(rules, """
                rules:
                  - name: no-test
                    match: {tables: ["shop.orders"]}
                    where: "after.status != 'test'"
                  - name: hide
                    match: {tables: ["shop.orders"]}
                    mask: {status: redact}
                """);
        PipelineConfig base = config("ruled");
        PipelineConfig config = base.withRules(rules);
        Pipeline pipeline = Pipelines.build(config, clock);
        metrics.listenerFor(config, pipeline);
        io.sluice.core.schema.TableSchema orders = new io.sluice.core.schema.TableSchema(
                "shop",
                "orders",
                1,
                List.of(
                        new io.sluice.core.schema.Column(
                                "id", "int", null, null, false, null, false, false, null, List.of()),
                        new io.sluice.core.schema.Column(
                                "status", "varchar", 20L, null, false, null, true, false, null, List.of())),
                new int[] {0});
        List<ChangeEvent> out = new ArrayList<>();
        io.sluice.core.pipeline.Emitter shaped = pipeline.transform().around(new io.sluice.core.pipeline.Emitter() {
            @Override
            public void event(ChangeEvent e) {
                out.add(e);
            }

            @Override
            public void commit(Checkpoint checkpoint) {}
        });
        for (Object[] row : new Object[][] {{1, "test"}, {2, "paid"}, {3, "new"}}) {
            SourceInfo src = new SourceInfo("ruled", 1, null, "bin.000001", 4, 0, T0, "shop", "orders", false);
            shaped.event(new ChangeEvent(
                    "ruled:1:" + row[0],
                    Op.CREATE,
                    src,
                    null,
                    null,
                    new io.sluice.core.event.Row(orders.names(), orders.columns(), row),
                    1,
                    null));
        }
        assertThat(out).hasSize(2);
        Scrape s = scrape();
        assertThat(s.get("sluice_rule_events_matched_total", "pipeline", "ruled", "rule", "no-test"))
                .isEqualTo(3);
        assertThat(s.get("sluice_rule_events_dropped_total", "pipeline", "ruled", "rule", "no-test"))
                .isEqualTo(1);
        assertThat(s.get("sluice_rule_events_matched_total", "pipeline", "ruled", "rule", "hide"))
                .isEqualTo(2);
        assertThat(s.get("sluice_rule_events_changed_total", "pipeline", "ruled", "rule", "hide"))
                .isEqualTo(2);
        assertThat(s.get("sluice_rule_errors_total", "pipeline", "ruled", "rule", "hide"))
                .isZero();
        assertThat(s.get("sluice_rule_events_dead_lettered_total", "pipeline", "ruled", "rule", "hide"))
                .isZero();
        assertThat(s.get("sluice_rule_time_seconds_total", "pipeline", "ruled", "rule", "no-test"))
                .isGreaterThanOrEqualTo(0.0);
        // a pipeline without rules has no rule series
        assertThat(s.all("sluice_rule_events_matched_total", "pipeline", "orders"))
                .isEmpty();
    }

    @Test
    void aSinkReportsRowsAppliedPerTargetTableAndOpItsTransactionTimeAndTargetLag() {
        assertThat(scrape().value("sluice_sink_batch_seconds_count"))
                .as("no series before the sink reports")
                .isEmpty();
        assertThat(scrape().value("sluice_sink_target_lag_seconds")).isEmpty();
        SinkMeters sink = listener.sinkMeters();
        sink.applied("shop.orders", Op.CREATE, 3);
        sink.applied("shop.orders", Op.CREATE, 2);
        sink.applied("shop.orders", Op.DELETE, 1);
        sink.committed(250_000_000L, T0 - 1500, T0);
        sink.committed(50_000_000L, 0, T0 + 10_000); // a commit without rows leaves the lag as it was

        Scrape s = scrape();
        assertThat(s.get("sluice_sink_rows_applied_total", "pipeline", "orders", "table", "shop.orders", "op", "c"))
                .isEqualTo(5);
        assertThat(s.get("sluice_sink_rows_applied_total", "pipeline", "orders", "table", "shop.orders", "op", "d"))
                .isEqualTo(1);
        assertThat(s.get("sluice_sink_batch_seconds_count", "pipeline", "orders"))
                .isEqualTo(2);
        assertThat(s.get("sluice_sink_batch_seconds_sum", "pipeline", "orders"))
                .isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.get("sluice_sink_target_lag_seconds", "pipeline", "orders"))
                .isEqualTo(1.5);
    }

    @Test
    void beforeAnyCommitPositionAndBytesBehindAreUnknown() {
        Scrape s = scrape();
        assertThat(s.get("sluice_binlog_behind_bytes", "pipeline", "orders")).isNaN();
        assertThat(s.get("sluice_committed_position_bytes", "pipeline", "orders"))
                .isNaN();
        assertThat(s.get("sluice_committed_binlog_file_number", "pipeline", "orders"))
                .isNaN();
        assertThat(s.get("sluice_source_lag_seconds", "pipeline", "orders")).isZero();
        assertThat(s.get("sluice_pipeline_state", "pipeline", "orders", "state", "new"))
                .isEqualTo(1);
        assertThat(metrics.contentType()).startsWith("text/plain");
    }

    private Scrape scrape() {
        return new Scrape(metrics.scrape());
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }

    private PipelineConfig config(String name) {
        MySqlSourceConfig source = MySqlSourceConfig.builder()
                .name(name)
                .host("127.0.0.1")
                .port(3306)
                .user("root")
                .password("")
                .serverId(1)
                .build();
        return PipelineConfig.builder()
                .name(name)
                .source(source)
                .sink(TestSinks.stdout())
                .state(dir.resolve("state"))
                .batch(BatchPolicy.DEFAULT)
                .queueEvents(1024)
                .file(dir.resolve(name + ".yaml"))
                .build();
    }

    private static ChangeEvent event(String db, String table, Op op, long tsMs) {
        SourceInfo s = new SourceInfo("orders", 1, null, "bin.000001", 4, 0, tsMs, db, table, false);
        return new ChangeEvent("orders:1:0", op, s, null, null, null, 1, null);
    }

    private static Checkpoint checkpoint(String file, long pos, String gtids) {
        return new Checkpoint(new BinlogPosition(file, pos, gtids), List.of(), Map.of());
    }

    /** A snapshot run's figures as the source shows them (fixed). */
    private record FakeSnapshot(
            String run,
            String table,
            long rows,
            long totalEstimate,
            long chunks,
            long superseded,
            double rate,
            long etaSeconds,
            boolean done,
            boolean cancelled)
            implements SourceStatus.SnapshotTableStatus {}

    private static final class FakeBinlogs implements ServerBinlogs {
        volatile List<BinlogFile> files = new ArrayList<>();
        volatile boolean fail;

        @Override
        public List<BinlogFile> list() throws SQLException {
            if (fail) {
                throw new SQLException("connection refused");
            }
            return files;
        }

        @Override
        public void close() {}
    }

    private static final class MutableClock extends Clock {
        private volatile long millis;

        MutableClock(long millis) {
            this.millis = millis;
        }

        void set(long newMillis) {
            millis = newMillis;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }
}
