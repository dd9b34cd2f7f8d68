package io.sluice.mysql.source;

import com.github.shyiko.mysql.binlog.network.AuthenticationException;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.sluice.core.SluiceException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Classifies what goes wrong talking to the server into retriable (the connection dropped: try again from the
 * checkpoint) and fatal (wrong credentials, a purged position: an operator must act), with a plain sentence.
 */
final class SourceErrors {
    private SourceErrors() {
    }

    static SluiceException classify(Throwable e, MySqlSourceConfig c, String requested, Supplier<List<String>> logs) {
        String where = c.host() + ":" + c.port();
        int code = e instanceof ServerException se ? se.getErrorCode()
                : e instanceof AuthenticationException ae ? ae.getErrorCode()
                : e instanceof SQLException sq ? sq.getErrorCode() : -1;
        String msg = String.valueOf(e.getMessage());
        if (code == 1045 || e instanceof AuthenticationException && msg.contains("Access denied")) {
            return SluiceException.fatal("access denied for user '" + c.user() + "' at " + where
                    + ": check source.user and source.password", e);
        }
        if (code == 1236) {
            List<String> files = logs.get();
            return SluiceException.fatal("the server at " + where + " cannot send the binlog from "
                    + (requested == null ? "the requested position" : requested) + ": " + msg
                    + (files.isEmpty() ? "" : "; it still has " + files.get(0) + " to " + files.get(files.size() - 1))
                    + ". The position was purged or never existed: start a new pipeline (delete the sink's state) or"
                    + " set source.start to a position the server has (see SHOW BINARY LOGS)", e);
        }
        if (code == 1227 || code == 1044 || code == 1142 || code == 1370) {
            return SluiceException.fatal("user '" + c.user() + "' lacks a privilege Sluice needs at " + where + ": "
                    + msg + "; run `sluice check` for the GRANT statements", e);
        }
        if (code == 1129) {
            return SluiceException.fatal("the server at " + where + " blocks this host: " + msg
                    + "; run FLUSH HOSTS on the server", e);
        }
        if (code == 1236 || code == 1593) {
            return SluiceException.fatal("the server at " + where + " refused replication: " + msg
                    + (code == 1593 ? "; source.server-id must differ from the server's and every replica's" : ""), e);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof UnknownHostException) {
            return SluiceException.fatal("unknown host '" + c.host() + "': check source.host", e);
        }
        if (root instanceof ConnectException || root instanceof SocketTimeoutException) {
            return SluiceException.retriable("nothing answered at " + where + " (" + root.getMessage()
                    + "): is the server running and source.host/source.port right?", e);
        }
        if (root instanceof EOFException || root instanceof SocketException || e instanceof IOException
                || e instanceof SQLException sq && String.valueOf(sq.getSQLState()).startsWith("08")) {
            return SluiceException.retriable("lost the connection to " + where + ": " + msg, e);
        }
        return SluiceException.fatal("reading the binlog from " + where + " failed: " + e, e);
    }
}
