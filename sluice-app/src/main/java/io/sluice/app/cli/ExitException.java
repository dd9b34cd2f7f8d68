package io.sluice.app.cli;

/**
 * A command's refusal or failure with a sentence for the operator and a documented exit code ({@link ExitCodes}):
 * the command line prints {@code error: <message>} and exits with {@link #code()}.
 */
final class ExitException extends RuntimeException {
    private final int code;

    ExitException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }
}
