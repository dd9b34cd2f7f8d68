package io.sluice.core.sink;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ConfigValues;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A kind of sink, as the configuration names it ({@code sink.type}): its keys, declared as data, and the factory of
 * its sinks. Providers are found with {@link java.util.ServiceLoader} ({@link SinkProviders}): a sink module lists
 * its provider in {@code META-INF/services/io.sluice.core.sink.SinkProvider}, and the application then loads,
 * validates, documents and builds that sink without knowing it.
 *
 * <p>The life of a configured sink: the application reads the keys under {@code sink:} against {@link #keys()}
 * (validation, defaults, near-name suggestions and the reference all come from those declarations), hands the
 * validated values to {@link #settings} once per load, and calls {@link #create} each time the pipeline is built.
 *
 * @param <C> the sink's typed settings (a record of the module's own)
 */
public interface SinkProvider<C> {

    /** The {@code sink.type} naming this sink: lower case letters, digits and hyphens, unique among providers. */
    String type();

    /** One sentence for the reference: what the sink does and how it delivers. */
    String description();

    /**
     * The keys under {@code sink:} besides {@code type}, named without the section ({@code path}, not
     * {@code sink.path}); they apply only when {@code sink.type} is {@link #type()}.
     */
    List<ConfigKey<?>> keys();

    /** The typed settings from validated values of {@link #keys()} (defaults filled in). */
    C settings(ConfigValues values);

    /** A new sink with these settings; it is not opened yet ({@link Sink#open()}). */
    Sink create(C settings, SinkContext context);

    /**
     * Where the sink keeps its checkpoint when not in the pipeline's state directory, as a phrase completing "the
     * checkpoint is in ..." (e.g. {@code its offsets topic shop.offsets}); empty (the default) when the sink keeps
     * it in the state directory, where tools such as {@code sluice check} read it.
     */
    default Optional<String> checkpointElsewhere(C settings) {
        return Optional.empty();
    }

    /**
     * Reads the checkpoint the sink keeps {@linkplain #checkpointElsewhere elsewhere}, for tools ({@code sluice
     * position show}): read only, taking nothing over and fencing nothing, so a running pipeline is not disturbed;
     * empty when none was committed yet. Only called when {@link #checkpointElsewhere} is present.
     *
     * @throws UnsupportedOperationException when the sink cannot read it outside a run (the default)
     * @throws IOException when it cannot be read (the sink's system is unreachable, the record is not a checkpoint)
     */
    default Optional<Checkpoint> readCheckpoint(C settings) throws IOException {
        throw new UnsupportedOperationException(
                "the " + type() + " sink cannot read its checkpoint outside a run of the pipeline");
    }

    /**
     * Clears a halt the sink recorded where it keeps its checkpoint (a change of the source table {@code table}, in
     * {@code db.table} form, that the sink does not apply to its target by itself), once the operator approves the
     * change ({@code sluice schema approve}): the next start goes on from the checkpoint. Returns what was cleared, as
     * a sentence; empty when no halt of that table is recorded (the default: a sink that records none).
     *
     * @throws IOException when the place of the halt cannot be reached
     */
    default Optional<String> clearHalt(C settings, String table) throws IOException {
        return Optional.empty();
    }

    /**
     * Replaces the checkpoint the sink keeps {@linkplain #checkpointElsewhere elsewhere} by {@code next}, for {@code
     * sluice position set} on a stopped pipeline (the caller holds its state directory and has backed up {@code
     * expected}). In one transaction of the sink's system, and only while the sink still holds {@code expected} (what
     * the operator was shown and confirmed): when the checkpoint moved since, nothing is written. It fences an
     * instance of the pipeline that still runs elsewhere the way a new run would (Kafka: the pipeline's transactional
     * id; JDBC: the generation in the checkpoint table), so that instance's next commit fails instead of overwriting
     * the change. Only called when {@link #checkpointElsewhere} is present.
     *
     * @throws UnsupportedOperationException when the sink cannot write its checkpoint outside a run (the default)
     * @throws CheckpointMoved               when the sink's checkpoint is no longer {@code expected}
     * @throws IOException                   when it cannot be written (the sink's system is unreachable)
     */
    default void writeCheckpoint(C settings, Checkpoint expected, Checkpoint next) throws IOException {
        throw new UnsupportedOperationException(
                "the " + type() + " sink cannot write its checkpoint outside a run of the pipeline");
    }

    /**
     * {@link #writeCheckpoint} found another checkpoint than the one expected: the pipeline committed since it was
     * read (it runs, or ran in between). Nothing was written.
     */
    final class CheckpointMoved extends IOException {
        private static final long serialVersionUID = 1L;

        /** The checkpoint found instead of the expected one (null: none). */
        private final transient Checkpoint found;

        public CheckpointMoved(String where, Checkpoint found) {
            super("the checkpoint in " + where + " changed since it was read (now "
                    + (found == null ? "none" : found.position().toString())
                    + "): the pipeline committed in between, so it runs or ran; nothing was written");
            this.found = found;
        }

        /** The checkpoint found instead (null: none). */
        public Checkpoint found() {
            return found;
        }
    }

    /**
     * Checks the sink's target before a run ({@code sluice check}): reachable, the credentials accepted, the grants
     * the sink needs present. Each problem is a finding with its fix; an empty list (the default: a sink writing
     * local files or stdout) means nothing to report. Must not change the target.
     */
    default List<SinkFinding> check(C settings) {
        return List.of();
    }
}
