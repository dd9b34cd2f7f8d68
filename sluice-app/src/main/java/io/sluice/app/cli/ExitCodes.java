package io.sluice.app.cli;

/** The exit codes of {@code sluice}. */
public final class ExitCodes {
    private ExitCodes() {
    }

    /** Success. */
    public static final int OK = 0;
    /** A runtime failure: the pipeline or a check failed. */
    public static final int FAILURE = 1;
    /** Bad usage or bad configuration: nothing was started. */
    public static final int CONFIG = 2;
    /** Interrupted (128 + SIGINT). */
    public static final int INTERRUPTED = 130;
}
