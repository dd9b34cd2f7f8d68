package io.sluice.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * The tests' one way of waiting for something to happen (on Awaitility): a wait names what it waits for, has a bound,
 * and when it fails says what it saw last. It also ends at once, with the reason, when what would bring the condition
 * about has ended ({@link #whileAlive}: a pipeline failed, a process exited) and the condition is not met; that check
 * comes before each look, so whatever was done before the end still counts.
 *
 * <pre>{@code
 * List<JsonNode> events = Waits.await("3 events in the sink's files", Duration.ofSeconds(30))
 *         .whileAlive(() -> assertRunning(pipeline))
 *         .until(capture::events, e -> e.size() >= 3);
 * }</pre>
 */
public final class Waits {
    /** Throws, saying why (an {@link AssertionError}), once what a wait depends on has ended. */
    @FunctionalInterface
    public interface Alive {
        void check() throws Exception;
    }

    private final ConditionFactory factory;
    private final Alive alive;

    private Waits(ConditionFactory factory, Alive alive) {
        this.factory = factory;
        this.alive = alive;
    }

    /** A wait of at most {@code atMost} for {@code what}; the first look is at once. */
    public static Waits await(String what, Duration atMost) {
        return new Waits(Awaitility.await(what).atMost(atMost).pollDelay(Duration.ZERO), () -> {});
    }

    /** This wait, ending at once when {@code check} throws and the condition is not met. */
    public Waits whileAlive(Alive check) {
        return new Waits(factory, check);
    }

    /** This wait, naming {@code what} it waits for instead. */
    public Waits alias(String what) {
        return new Waits(factory.alias(what), alive);
    }

    /** Looks at {@code probe} until its value is {@code done}, and returns that value. */
    public <T> T until(Callable<T> probe, Predicate<? super T> done) {
        return factory.until(
                () -> {
                    Throwable ended = ended();
                    T seen = probe.call();
                    if (ended != null && !done.test(seen)) {
                        throw new AssertionError(ended.getMessage() + "; seen last: " + seen, ended);
                    }
                    return seen;
                },
                done);
    }

    /** Waits until {@code condition} holds. */
    public void until(Callable<Boolean> condition) {
        until(condition, Boolean.TRUE::equals);
    }

    private Throwable ended() throws Exception {
        try {
            alive.check();
            return null;
        } catch (AssertionError e) {
            return e;
        }
    }
}
