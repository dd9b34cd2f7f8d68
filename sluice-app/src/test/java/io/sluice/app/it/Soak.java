package io.sluice.app.it;

import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.TcpProxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One fault soak (see {@link FaultSoak}): the two writers over a private MariaDB, {@code sluice run} restarted by a
 * {@link KillLoop}, and random faults drawn by weight: SIGKILL, SIGTERM, every proxied connection cut (sometimes
 * refusing reconnects for a while), a source server restart (the writers paused at a transaction boundary), plus
 * whatever the sink adds (a Kafka broker restart). A sluice process that exits by itself is recorded and started
 * again, and fails the soak at the end.
 */
final class Soak implements AutoCloseable {
    /** A fault the soak can inject. */
    @FunctionalInterface
    interface Fault {
        void inject() throws Exception;
    }

    static final int SNAP_ROWS = 20_000;

    final MariaDbServer server;
    final String db;
    final Workload writer;
    final SoakSideWriter side;
    final KillLoop sluice;
    final List<String> unexpectedExits = new ArrayList<>();
    final Map<String, Integer> injected = new TreeMap<>();
    private final Thread sideThread;
    private final TcpProxy proxy;
    private final ReadWriteLock gate;
    private final Random random;
    private final Map<String, Fault> faults = new LinkedHashMap<>();
    private final List<String> weighted = new ArrayList<>();
    private final long t0 = System.nanoTime();

    private Soak(
            MariaDbServer server,
            String db,
            TcpProxy proxy,
            ReadWriteLock gate,
            Path log,
            Path config,
            String pipeline,
            long seed,
            long writerPauseMs)
            throws Exception {
        this.server = server;
        this.db = db;
        this.proxy = proxy;
        this.gate = gate;
        this.random = new Random(seed);
        this.writer =
                new Workload(server, db, 1, 40, writerPauseMs, seed).gated(gate).start();
        this.side = new SoakSideWriter(server, db, pipeline, SNAP_ROWS, gate, new Random(seed + 1));
        this.sideThread = new Thread(side, "side-writer");
        sideThread.start();
        this.sluice = KillLoop.start(log, config);
        fault("kill", 4, sluice::killAndRestart);
        fault("term", 1, () -> sluice.terminateAndRestart(60));
        fault("cut", 3, this::cut);
        fault("source-restart", 2, () -> paused(server::restart));
    }

    /** Creates the soak's tables in a new database on {@code server} and returns its name. */
    static String createDatabase(MariaDbServer server) throws Exception {
        String db = server.createDatabase("soak");
        Workload.createTables(server, db);
        SoakSideWriter.createTables(server, db, SNAP_ROWS);
        return db;
    }

    /**
     * Starts the writers and {@code sluice run --config config}; the pipeline reads the source through {@code proxy}.
     * The workload writer pauses up to {@code writerPauseMs} between its transactions (a slower sink needs a slower
     * writer to catch up at the end).
     */
    static Soak start(
            MariaDbServer server,
            String db,
            TcpProxy proxy,
            Path log,
            Path config,
            String pipeline,
            long seed,
            long writerPauseMs)
            throws Exception {
        return new Soak(server, db, proxy, new ReentrantReadWriteLock(), log, config, pipeline, seed, writerPauseMs);
    }

    /** Adds a fault drawn with the given weight (the built-in ones weigh 4, 1, 3 and 2). */
    Soak fault(String name, int weight, Fault fault) {
        faults.put(name, fault);
        for (int i = 0; i < weight; i++) {
            weighted.add(name);
        }
        return this;
    }

    /** Runs {@code action} while both writers wait between transactions. */
    void paused(Fault action) throws Exception {
        gate.writeLock().lock();
        try {
            action.inject();
        } finally {
            gate.writeLock().unlock();
        }
    }

    private void cut() throws InterruptedException {
        proxy.cutAll();
        if (random.nextInt(3) == 0) {
            proxy.setRefusing(true);
            Thread.sleep(500 + random.nextInt(2500)); // the subject: the server unreachable a while
            proxy.setRefusing(false);
        }
    }

    /** Injects {@code count} faults, 0.3–2.5 s apart, then stops the writers. */
    void inject(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            Thread.sleep(300 + random.nextInt(2200)); // the subject: faults at random moments
            writer.assertNoFailure();
            side.assertNoFailure();
            restartIfExited("before fault " + i);
            String name = weighted.get(random.nextInt(weighted.size()));
            injected.merge(name, 1, Integer::sum);
            faults.get(name).inject();
        }
        writer.stopAndJoin();
        side.stop.set(true);
        sideThread.join();
        side.assertNoFailure();
        restartIfExited("after the faults");
    }

    private void restartIfExited(String when) throws Exception {
        if (!sluice.current().isAlive()) {
            unexpectedExits.add(when + ": exit " + sluice.current().process().exitValue());
            sluice.killAndRestartDead();
        }
    }

    int faultCount() {
        return injected.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** One line: the faults, what the writers committed and for how long. */
    String summary() {
        return "faults " + injected + ", " + writer.committed().size() + " workload transactions (" + writer.rows()
                + " rows), " + side.summary() + ", wrote for " + (System.nanoTime() - t0) / 1_000_000_000L + " s";
    }

    @Override
    public void close() throws Exception {
        writer.close();
        side.stop.set(true);
        sideThread.join(10_000);
        sluice.close();
    }
}
