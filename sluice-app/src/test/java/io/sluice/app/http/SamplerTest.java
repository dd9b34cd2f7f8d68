package io.sluice.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.config.PipelineConfig;
import io.sluice.app.metrics.Lag;
import io.sluice.app.metrics.LagReader;
import io.sluice.app.run.ManagedPipeline;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.mysql.schema.SchemaState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sampler's history kept across restarts (per-minute points in the state directory, written at most every
 * interval and at stop) and its per-table throughput, on a clock the test moves.
 */
class SamplerTest {
    private static final long T0 = Instant.parse("2026-12-07T10:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    private final MovingClock time = new MovingClock();
    private final Clock clock = time;
    /** What the "metrics" say now: lag and bytes behind, and events per table and op. */
    private Lag lagNow = new Lag(0L, 0L, 0L);

    private final Map<String, Map<String, Long>> events = new TreeMap<>();

    private final LagReader metrics = new LagReader() {
        @Override
        public Optional<Lag> lag(String pipeline) {
            return Optional.of(lagNow);
        }

        @Override
        public Map<String, Map<String, Long>> tableEvents(String pipeline) {
            Map<String, Map<String, Long>> copy = new TreeMap<>();
            events.forEach((t, ops) -> copy.put(t, new TreeMap<>(ops)));
            return copy;
        }
    };

    /** A clock that stands at {@link #T0} until the test moves it (core's ManualScheduler is in core's tests). */
    static final class MovingClock extends Clock {
        private long now = T0;

        void advance(Duration d) {
            now += d.toMillis();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("one zone is enough here");
        }
    }

    private ManagedPipeline shop() throws Exception {
        Path state = Files.createDirectories(dir.resolve("shop-state"));
        PipelineConfig cfg = ControlServerTest.config("shop", state, dir.resolve("out"));
        return new ManagedPipeline(
                cfg,
                new Pipeline(
                        "shop",
                        new ControlServerTest.CommittingSource(),
                        new ControlServerTest.NullSink(),
                        BatchPolicy.DEFAULT,
                        1024,
                        clock),
                SchemaState.in(state));
    }

    private Sampler sampler(ManagedPipeline p, int minutesKept) {
        return new Sampler(List.of(p), metrics, clock, 720, 10, minutesKept, Duration.ofMinutes(1));
    }

    /** Samples every 5 s for {@code seconds}, with the lag and bytes behind given. */
    private void sampleFor(Sampler s, int seconds, long lagMs, long bytes) {
        lagNow = new Lag(lagMs, lagMs, bytes);
        for (int i = 0; i < seconds; i += 5) {
            s.tick();
            time.advance(Duration.ofSeconds(5));
        }
    }

    @Test
    void lagHistoryOutlivesARestartAsPerMinutePointsWithTheLargestLagOfEachMinute() throws Exception {
        ManagedPipeline shop = shop();
        Sampler first = sampler(shop, 360);
        sampleFor(first, 60, 1200, 4096); // 10:00:00-10:00:55
        sampleFor(first, 30, 300, 0); // 10:01:00-10:01:25, a minute not over yet
        first.save(); // the process stops
        long stopped = clock.millis();

        time.advance(Duration.ofMinutes(3)); // down for three minutes
        Sampler second = sampler(shop, 360);
        List<Sampler.Sample> kept = second.history("shop", 0);
        assertThat(kept).hasSize(2);
        assertThat(kept.get(0).lagMs()).isEqualTo(1200);
        assertThat(kept.get(0).bytesBehind()).isEqualTo(4096);
        assertThat(kept.get(0).t()).isEqualTo(T0 + 55_000);
        assertThat(kept.get(1).lagMs()).as("the minute the process stopped in").isEqualTo(300);
        assertThat(kept.get(1).t()).isLessThan(stopped);

        sampleFor(second, 10, 50, 0);
        List<Sampler.Sample> all = second.history("shop", 0);
        assertThat(all).hasSize(4);
        assertThat(all.subList(0, 2)).isEqualTo(kept);
        assertThat(all.get(2).lagMs()).isEqualTo(50);
        assertThat(all.get(2).t()).isEqualTo(stopped + Duration.ofMinutes(3).toMillis());
        assertThat(second.history("shop", T0 + 60_000)).as("since a time").hasSize(3);
    }

    @Test
    void historyIsWrittenAtMostOnceAMinuteWhileRunningAndKeepsOnlyTheNewestMinutes() throws Exception {
        ManagedPipeline shop = shop();
        Path file = shop.config().state().resolve(HistoryFile.NAME);
        Sampler s = sampler(shop, 3);
        sampleFor(s, 60, 10, 0);
        assertThat(file).as("not written before a minute has passed").doesNotExist();
        sampleFor(s, 5, 10, 0);
        assertThat(file).exists();
        String before = Files.readString(file);
        sampleFor(s, 30, 20, 0);
        assertThat(Files.readString(file)).as("not rewritten within the minute").isEqualTo(before);

        for (int minute = 0; minute < 5; minute++) {
            sampleFor(s, 60, 1000L * (minute + 1), 0);
        }
        s.save();
        List<Sampler.Sample> kept = sampler(shop, 3).history("shop", 0);
        // the three newest minutes, the one under way at the stop included
        assertThat(kept).extracting(Sampler.Sample::lagMs).containsExactly(4000L, 5000L, 5000L);
    }

    @Test
    void anUnreadableHistoryFileStartsAfreshWithoutFailing() throws Exception {
        ManagedPipeline shop = shop();
        Files.writeString(shop.config().state().resolve(HistoryFile.NAME), "{not json");
        Sampler s = sampler(shop, 360);
        assertThat(s.history("shop", 0)).isEmpty();
        sampleFor(s, 5, 7, 0);
        assertThat(s.history("shop", 0)).extracting(Sampler.Sample::lagMs).containsExactly(7L);
        s.save();
        assertThat(sampler(shop, 360).history("shop", 0))
                .extracting(Sampler.Sample::lagMs)
                .containsExactly(7L);
    }

    @Test
    void throughputPerTableAndOpOverTenSecondsAMinuteAndFiveMinutes() throws Exception {
        ManagedPipeline shop = shop();
        Sampler s = sampler(shop, 0);
        // orders: 10 inserts a second for 4 min, then 100 a second for the last 10 s; items: 2 updates a second
        long orders = 0;
        long items = 0;
        for (int i = 0; i <= 250; i += 5) {
            events.put("shop.orders", Map.of("c", orders));
            events.put("shop.items", Map.of("u", items));
            s.tick();
            time.advance(Duration.ofSeconds(5));
            orders += i >= 240 ? 500 : 50;
            items += 10;
        }
        List<Sampler.TableRate> rates = s.tableRates("shop");
        assertThat(rates).extracting(Sampler.TableRate::table).containsExactly("shop.orders", "shop.items");
        Sampler.TableRate o = rates.get(0);
        assertThat(o.op()).isEqualTo("c");
        assertThat(o.perSecond()[0]).as("last 10 s").isEqualTo(100.0);
        assertThat(o.perSecond()[1]).as("last minute").isEqualTo(25.0);
        assertThat(o.perSecond()[2]).as("five minutes asked, 250 s sampled").isEqualTo(13.6);
        assertThat(o.total()).isEqualTo(orders - 500);
        Sampler.TableRate i = rates.get(1);
        assertThat(i.op()).isEqualTo("u");
        assertThat(i.perSecond()).containsExactly(2.0, 2.0, 2.0);
        assertThat(s.tableRates("ghost")).isEmpty();
    }

    @Test
    void eventsPerTableOutliveARestartAddedToTheNewRunsOwn() throws Exception {
        ManagedPipeline shop = shop();
        Sampler first = sampler(shop, 360);
        events.put("shop.orders", Map.of("c", 100L, "u", 7L));
        sampleFor(first, 10, 0, 0);
        first.save(); // the process stops

        time.advance(Duration.ofMinutes(2));
        events.clear(); // a new process's counters start at zero
        Sampler second = sampler(shop, 360);
        assertThat(second.tableRates("shop"))
                .as("before the new run's first sample: the totals kept, no rate")
                .extracting(r -> r.table() + " " + r.op() + " " + r.total() + " " + r.perSecond()[0])
                .containsExactly("shop.orders c 100 0.0", "shop.orders u 7 0.0");

        events.put("shop.orders", Map.of("c", 0L));
        events.put("shop.items", Map.of("d", 0L));
        sampleFor(second, 5, 0, 0);
        events.put("shop.orders", Map.of("c", 50L));
        events.put("shop.items", Map.of("d", 3L));
        sampleFor(second, 5, 0, 0);
        // 5 s sampled: the windows are not sampled in full, so orders show the rates kept from the run before
        // (0 there); items, which the run before did not write, show this run's own
        assertThat(second.tableRates("shop"))
                .extracting(r -> r.table() + " " + r.op() + " " + r.total() + " " + r.perSecond()[0] + " "
                        + (r.keptFrom() >= 0 ? "kept" : "own"))
                .containsExactly("shop.items d 3 0.6 own", "shop.orders c 150 0.0 kept", "shop.orders u 7 0.0 kept");

        second.save();
        assertThat(sampler(shop, 360).tableRates("shop"))
                .extracting(r -> r.table() + " " + r.op() + " " + r.total())
                .containsExactly("shop.items d 3", "shop.orders c 150", "shop.orders u 7");
        assertThat(sampler(shop, 0).tableRates("shop"))
                .as("nothing kept, nothing read")
                .isEmpty();
    }

    @Test
    void afterARestartTheLastRatesCarryOnUntilEachWindowIsSampledInFull() throws Exception {
        ManagedPipeline shop = shop();
        Sampler first = sampler(shop, 360);
        // 20 inserts a second for 6 min
        long orders = ordersEvery5s(first, 0, 73, 100);
        long stoppedAt = T0 + 360_000;
        assertThat(first.tableRates("shop").get(0).perSecond()).containsExactly(20.0, 20.0, 20.0);
        first.save(); // the process stops

        time.advance(Duration.ofMinutes(3));
        events.clear(); // a new process's counters start at zero
        Sampler second = sampler(shop, 360);
        Sampler.TableRate kept = second.tableRates("shop").get(0);
        assertThat(kept.perSecond())
                .as("before the new run's first sample: the last rates, not empty")
                .containsExactly(20.0, 20.0, 20.0);
        assertThat(kept.keptFrom()).as("when they were measured").isEqualTo(stoppedAt);

        // the new run writes 5 a second: each window shows it once the run has sampled the whole window
        long now = ordersEvery5s(second, 0, 4, 25);
        Sampler.TableRate after15s = second.tableRates("shop").get(0);
        assertThat(after15s.perSecond()).containsExactly(5.0, 20.0, 20.0);
        assertThat(after15s.keptFrom()).isEqualTo(stoppedAt);
        assertThat(after15s.total()).isEqualTo(orders - 100 + now - 25);

        now = ordersEvery5s(second, now, 57, 25);
        Sampler.TableRate full = second.tableRates("shop").get(0);
        assertThat(full.perSecond()).as("every window sampled by this run").containsExactly(5.0, 5.0, 5.0);
        assertThat(full.keptFrom()).isEqualTo(-1);

        second.save();
        // a restart right after a restart (no sample in between) keeps what it was given
        Sampler third = sampler(shop, 360);
        third.save();
        assertThat(sampler(shop, 360).tableRates("shop").get(0).perSecond()).containsExactly(5.0, 5.0, 5.0);
    }

    /**
     * {@code samples} samples 5 s apart of shop.orders' inserts, from {@code count} on, {@code step} more at each;
     * returns the count after the last (one step past the last one sampled).
     */
    private long ordersEvery5s(Sampler s, long count, int samples, long step) {
        for (int i = 0; i < samples; i++) {
            events.put("shop.orders", Map.of("c", count));
            s.tick();
            time.advance(Duration.ofSeconds(5));
            count += step;
        }
        return count;
    }
}
