package io.sluice.jdbc;

import io.sluice.core.SluiceException;
import java.sql.SQLException;

/**
 * The one classifier of target failures. Lost connections, deadlocks, lock waits and serialization failures are
 * retriable: the pipeline opens the sink again, which rolls back the open transaction and resumes from the checkpoint
 * in the target. Refused logins, missing grants, statements the target rejects (a type it cannot hold, a unique key
 * of the target violated) are fatal: retrying would fail the same way, and the message says what to change.
 */
final class JdbcErrors {
    private JdbcErrors() {}

    static SluiceException classify(JdbcSinkConfig config, String doing, Exception error) {
        if (error instanceof SluiceException se) {
            return se;
        }
        String where = "the jdbc sink of pipeline " + config.pipeline() + " failed " + doing + " on " + config.url();
        if (error instanceof SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            String detail = e.getMessage() + " (SQLState " + state + ", error " + e.getErrorCode() + ")";
            if (fatal(state, e.getErrorCode())) {
                return SluiceException.fatal(where + ": " + detail + hint(state), e);
            }
            return SluiceException.retriable(
                    where + ": " + detail + "; nothing of the open transaction was committed, and Sluice resumes"
                            + " from the checkpoint in the target",
                    e);
        }
        return SluiceException.retriable(where + ": " + error, error);
    }

    /** Whether retrying cannot help: authentication, grants, statements or data the target refuses. */
    static boolean fatal(String state, int code) {
        if (state.startsWith("08") || state.startsWith("40") || state.startsWith("57") || state.startsWith("53")) {
            return false; // connection, transaction rollback (deadlock, serialization), shutdown, resources
        }
        if (code == 1205 || code == 1213 || code == 2006 || code == 2013) {
            return false; // MySQL family: lock wait timeout, deadlock, server gone, connection lost
        }
        return state.startsWith("28")
                || state.startsWith("42")
                || state.startsWith("22")
                || state.startsWith("23")
                || code == 1045
                || code == 1142
                || code == 1044;
    }

    private static String hint(String state) {
        if (state.startsWith("28")) {
            return ". Check sink.user and sink.password";
        }
        if (state.startsWith("42")) {
            return ". The target refused a statement: check that sink.user may create and write the target tables"
                    + " and the checkpoint table (docs/jdbc.md, grants), and that existing target tables fit";
        }
        if (state.startsWith("23")) {
            return ". A constraint of the target table was violated: a target table with a unique key or foreign"
                    + " key the source table lacks cannot take every change; see docs/jdbc.md";
        }
        return ". A value does not fit its target column; see docs/jdbc.md for the type mapping";
    }
}
