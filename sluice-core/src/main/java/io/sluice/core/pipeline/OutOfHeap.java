package io.sluice.core.pipeline;

import io.sluice.core.SluiceException;

/**
 * Turns an {@link OutOfMemoryError} into a fatal error that says which setting to raise, and to what. It is caught
 * only where that is safe: at the end of a reader or writer run, once the stack that held the large objects has
 * unwound (they are garbage then), so the message and the clean-up that follow can allocate again; the pipeline
 * then stops with its checkpoint intact, and the process's other pipelines run on.
 */
public final class OutOfHeap {
    private static final long MIB = 1L << 20;

    private OutOfHeap() {}

    /**
     * The error for running out of heap.
     *
     * @param where  what was being done, e.g. "while reading the binlog event at mysql-bin.000003:4711"
     * @param why    what needs that much heap, as a sentence, or null
     * @param needed the heap (bytes) the source estimates it needs, or 0 if unknown: the advice asks for at least
     *               this, and at least twice the present maximum
     */
    public static SluiceException error(OutOfMemoryError e, String where, String why, long needed) {
        long max = Runtime.getRuntime().maxMemory();
        return SluiceException.fatal(
                "Sluice ran out of Java heap (its maximum is " + max / MIB + " MiB) " + where
                        + "; the pipeline stops, its checkpoint intact. " + (why == null ? "" : why + " ")
                        + "Give the JVM more heap with -Xmx in SLUICE_JAVA_OPTS, e.g. SLUICE_JAVA_OPTS=\"-Xmx"
                        + suggestion(Math.max(needed, 2 * max))
                        + "\" ./sluice run ... (SLUICE_JAVA_OPTS replaces the options"
                        + " in jvm.options: repeat those you keep).",
                e);
    }

    /** The first OutOfMemoryError in the cause chain, or null. */
    static OutOfMemoryError find(Throwable t) {
        for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof OutOfMemoryError oom) {
                return oom;
            }
        }
        return null;
    }

    /** {@code bytes} rounded up to a multiple of 256 MiB, as an -Xmx value ({@code 768m}, {@code 2g}). */
    static String suggestion(long bytes) {
        long quarters = Math.max(1, (bytes + 256 * MIB - 1) / (256 * MIB));
        return quarters % 4 == 0 ? quarters / 4 + "g" : quarters * 256 + "m";
    }
}
