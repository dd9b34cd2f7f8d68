package io.sluice.core;

/**
 * Sluice's one unchecked domain exception. {@link #retriable()} says whether trying again (after a back-off,
 * from the last checkpoint) can succeed: a dropped connection can, a purged binlog position or a wrong password
 * cannot. Messages are plain sentences for the operator: what is wrong and how to fix it.
 */
public class SluiceException extends RuntimeException {
    private final boolean retriable;

    public SluiceException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    public static SluiceException fatal(String message) {
        return new SluiceException(message, false, null);
    }

    public static SluiceException fatal(String message, Throwable cause) {
        return new SluiceException(message, false, cause);
    }

    public static SluiceException retriable(String message, Throwable cause) {
        return new SluiceException(message, true, cause);
    }

    public boolean retriable() {
        return retriable;
    }
}
