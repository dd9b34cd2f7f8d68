package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.PartialTxn;
import io.sluice.core.event.ChangeEvent;
import io.sluice.testkit.MariaDbServer;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint that marks part of a source transaction as held by the sink ({@link Checkpoint#partial()}): the
 * source resumes inside that transaction, emitting exactly the events after the mark, with the ids and row numbers
 * an uninterrupted run gives; the mark survives every checkpoint before the transaction's end, and the one after it
 * is clean. Runs the real binlog source against a real server, without a sink in between.
 */
class ResumeInsideIT {
    private final MariaDbServer db = MariaDbServer.shared();

    private static List<Object> stream(Capture cap, Checkpoint from, Predicate<SourceRun.Recorder> done)
            throws Exception {
        return SourceRun.stream(cap.config, from, done);
    }

    private static String txn(ChangeEvent e) {
        return PartialTxn.txnOf("it", e.id());
    }

    @Test
    void resumesInsideATransactionWithTheSameIdsAndRows() throws Exception {
        String s = db.createDatabase("resume");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
        Capture cap = Capture.create(db, List.of(s + ".*"), Capture.current(db));
        db.execute("INSERT INTO " + s + ".t VALUES (0, 'before')");
        db.execute(
                "BEGIN",
                "INSERT INTO " + s + ".t VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d'),(5,'e')",
                "UPDATE " + s + ".t SET v = 'z' WHERE id IN (1, 2)",
                "COMMIT");
        db.execute("INSERT INTO " + s + ".t VALUES (6, 'after'), (7, 'after')");

        List<Object> full = stream(cap, null, r -> r.events().size() == 10);
        List<ChangeEvent> all = SourceRun.events(full);
        assertThat(all).hasSize(10);
        String big = txn(all.get(1));
        assertThat(all.subList(1, 8)).allMatch(e -> txn(e).equals(big));
        Checkpoint before = SourceRun.checkpointBefore(full, "it:" + big + ":");
        assertThat(before).isNotNull();

        for (int held : List.of(1, 3, 6, 7)) {
            Checkpoint from = before.withPartial(new PartialTxn(big, held));
            List<Object> resumed =
                    stream(cap, from, SourceRun.lastIdIs(all.get(9).id()));
            // exactly the events after the mark, then the rest, identical to the uninterrupted run
            assertThat(SourceRun.events(resumed))
                    .as("resumed with %d held", held)
                    .isEqualTo(all.subList(1 + held, 10));
            // checkpoints before the transaction's end keep the mark; the one after it is clean
            List<Object> tail = resumed;
            int firstEventOfOthers = IntStream.range(0, tail.size())
                    .filter(i -> tail.get(i) instanceof ChangeEvent e && !txn(e).equals(big))
                    .findFirst()
                    .orElseThrow();
            List<Checkpoint> cps = tail.stream()
                    .filter(Checkpoint.class::isInstance)
                    .map(Checkpoint.class::cast)
                    .toList();
            Checkpoint endOfBig = tail.subList(0, firstEventOfOthers).stream()
                    .filter(Checkpoint.class::isInstance)
                    .map(Checkpoint.class::cast)
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertThat(endOfBig.partial())
                    .as("the checkpoint after the split transaction's end")
                    .isNull();
            for (Checkpoint cp : cps) {
                if (cp == endOfBig) {
                    break;
                }
                assertThat(cp.partial()).isEqualTo(new PartialTxn(big, held));
            }
        }
    }

    @Test
    void resumesInsideAnXaTransactionReadFromItsHeldPrepareGroup() throws Exception {
        String s = db.createDatabase("resumexa");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY)");
        Capture cap = Capture.create(db, List.of(s + ".*"), Capture.current(db));
        db.execute(
                "XA START 'big'", "INSERT INTO " + s + ".t VALUES (1),(2),(3),(4)", "XA END 'big'", "XA PREPARE 'big'");
        db.execute("INSERT INTO " + s + ".t VALUES (10)");
        db.execute("XA COMMIT 'big'");
        db.execute("INSERT INTO " + s + ".t VALUES (11)");

        List<Object> full = stream(cap, null, r -> r.events().size() == 6);
        List<ChangeEvent> all = SourceRun.events(full);
        assertThat(all)
                .extracting(e -> ((Number) e.after().value(0)).intValue())
                .containsExactly(10, 1, 2, 3, 4, 11);
        String xa = txn(all.get(1));
        // the checkpoint after the row 10 transaction holds the prepared XA group; a sink split the XA's rows there
        Checkpoint before = SourceRun.checkpointBefore(full, "it:" + xa + ":");
        assertThat(before.heldXa()).hasSize(1);

        Checkpoint from = before.withPartial(new PartialTxn(xa, 3));
        List<Object> resumed = stream(cap, from, SourceRun.lastIdIs(all.get(5).id()));
        assertThat(SourceRun.events(resumed)).isEqualTo(all.subList(4, 6));
        assertThat(resumed.stream()
                        .filter(Checkpoint.class::isInstance)
                        .map(Checkpoint.class::cast)
                        .filter(cp -> cp.partial() == null))
                .isNotEmpty();
    }
}
