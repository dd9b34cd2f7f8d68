package io.sluice.app.cli;

/** The exit codes of {@code sluice}, as docs/cli.md lists them. */
public final class ExitCodes {
    private ExitCodes() {}

    /** Success. */
    public static final int OK = 0;
    /** A runtime failure: the pipeline or a check failed, or the running process refused the request. */
    public static final int FAILURE = 1;
    /** Bad usage or bad configuration: nothing was started. */
    public static final int CONFIG = 2;
    /**
     * Not running: the command needs a running pipeline or process and there is none (no {@code sluice run} holds
     * the pipeline's state directory, or nothing answers at the HTTP API's address).
     */
    public static final int NOT_RUNNING = 3;
    /** Running: the command needs the pipeline stopped (it changes what the pipeline reads at its start). */
    public static final int RUNNING = 4;
    /** Nothing to do: e.g. approving a version that is not breaking, or is approved already. Nothing changed. */
    public static final int NOTHING_TO_DO = 5;
    /** Interrupted (128 + SIGINT). */
    public static final int INTERRUPTED = 130;
}
