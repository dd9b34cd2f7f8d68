package io.sluice.mysql.check;

import com.github.shyiko.mysql.binlog.network.ServerException;
import io.sluice.core.SluiceException;
import io.sluice.mysql.source.MySqlSourceConfig;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import java.util.Locale;

/**
 * Turns errors from the JDBC driver, the binlog client or the network into a {@link SluiceException} with a plain
 * sentence for the operator and whether retrying (after a back-off) can help. Messages never contain a password:
 * they are built from the {@link Context} and the server's own error text only.
 *
 * <p>Known server errors: 1045 access denied, 1236 binlog position purged or unknown, 1044/1142/1227 missing
 * privilege, 1129 host blocked (all fatal); 1040 too many connections, 1205/1213 lock conflicts, client errors 2002/2003/2006/2013 as well
 * as refused, reset or closed connections and timeouts (retriable).
 */
public final class ErrorClassifier {

    private ErrorClassifier() {
    }

    /**
     * Where the error happened, for the message.
     *
     * @param host     server host, or null if unknown
     * @param port     server port, or 0
     * @param user     the user Sluice logs in as, or null
     * @param position the binlog position or GTID set that was asked for, or null
     */
    public record Context(String host, int port, String user, String position) {

        public static Context none() {
            return new Context(null, 0, null, null);
        }

        public static Context of(MySqlSourceConfig config) {
            return new Context(config.host(), config.port(), config.user(), null);
        }

        public Context withPosition(String newPosition) {
            return new Context(host, port, user, newPosition);
        }

        String server() {
            return host == null ? "the server" : host + ":" + port;
        }
    }

    /** {@link #classify(Throwable, Context)} without context. */
    public static SluiceException classify(Throwable error) {
        return classify(error, Context.none());
    }

    /** Maps an error to a fatal or retriable {@link SluiceException} whose message says what to do. */
    public static SluiceException classify(Throwable error, Context ctx) {
        if (error instanceof SluiceException se) {
            return se;
        }
        Context c = ctx == null ? Context.none() : ctx;
        int code = errorCode(error);
        String said = serverText(error);
        switch (code) {
            case 1045:
                return SluiceException.fatal("Access denied for user " + user(c, said) + " at " + c.server()
                        + ": check source.user and source.password.", error);
            case 1236:
                return SluiceException.fatal("The server at " + c.server() + " cannot send its binlog"
                        + (c.position() == null ? "" : " from " + c.position())
                        + ": that position has been purged or does not exist (error 1236" + suffix(said) + "). "
                        + "List the binlogs the server still has with SHOW BINARY LOGS and start from one of them, "
                        + "or take a new snapshot.", error);
            case 1044:
            case 1142:
            case 1227:
                return SluiceException.fatal("User " + user(c, said) + " lacks a privilege on " + c.server()
                        + " (error " + code + suffix(said) + "). Grant it; the server check lists every missing grant"
                        + " with its GRANT statement.", error);
            case 1129:
                return SluiceException.fatal("The server at " + c.server() + " blocks this host after too many"
                        + " connection errors (error 1129). Run FLUSH HOSTS on the server (or mariadb-admin"
                        + " flush-hosts) and raise max_connect_errors.", error);
            case 1040:
                return SluiceException.retriable("The server at " + c.server() + " has too many connections"
                        + " (error 1040); will try again.", error);
            case 1205:
            case 1213:
                return SluiceException.retriable("A query on " + c.server() + " lost a lock conflict (error " + code
                        + suffix(said) + "); will try again.", error);
            case 2002:
            case 2003:
                return unreachable(c, error);
            case 2006:
            case 2013:
                return lost(c, error);
            default:
                break;
        }
        if (has(error, ConnectException.class) || has(error, NoRouteToHostException.class)
                || mentions(error, "connection refused")) {
            return unreachable(c, error);
        }
        if (has(error, UnknownHostException.class)) {
            return SluiceException.retriable("Cannot resolve host " + (c.host() == null ? "" : "'" + c.host() + "'")
                    + ": check source.host (and DNS).", error);
        }
        if (has(error, SocketTimeoutException.class) || has(error, SQLTimeoutException.class)
                || mentions(error, "timed out") || mentions(error, "timeout")) {
            return SluiceException.retriable("The server at " + c.server() + " did not answer in time; will try"
                    + " again. If this goes on, check the network and the server's load.", error);
        }
        if (has(error, EOFException.class) || has(error, SocketException.class)
                || has(error, SQLRecoverableException.class) || has(error, SQLTransientException.class)
                || mentions(error, "connection reset") || mentions(error, "broken pipe")
                || connectionState(error)) {
            return lost(c, error);
        }
        if (firstOf(error, SQLException.class) != null || error instanceof ServerException) {
            return SluiceException.fatal("The server at " + c.server() + " refused: " + said
                    + (code > 0 ? " (error " + code + ")" : "") + ".", error);
        }
        if (firstOf(error, java.io.IOException.class) != null) {
            return SluiceException.retriable("I/O error talking to " + c.server() + ": " + text(error)
                    + "; will try again.", error);
        }
        return SluiceException.fatal("Unexpected error talking to " + c.server() + ": " + text(error), error);
    }

    /** The first MySQL/MariaDB error code in the cause chain (server or client code), or 0. */
    public static int errorCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getErrorCode() > 0) {
                return s.getErrorCode();
            }
            if (t instanceof ServerException s && s.getErrorCode() > 0) {
                return s.getErrorCode();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------------------------------------------------

    private static SluiceException unreachable(Context c, Throwable error) {
        return SluiceException.retriable("Nothing answered at " + c.server() + " (connection refused or no route):"
                + " check source.host and source.port, and that the server is running and reachable.", error);
    }

    private static SluiceException lost(Context c, Throwable error) {
        return SluiceException.retriable("Lost the connection to " + c.server() + " (" + text(error)
                + "); will reconnect.", error);
    }

    private static String user(Context c, String said) {
        if (c.user() != null) {
            return "'" + c.user() + "'";
        }
        int i = said.indexOf("for user ");
        if (i >= 0) {
            String rest = said.substring(i + 9);
            int sp = rest.indexOf(' ');
            return sp < 0 ? rest : rest.substring(0, sp);
        }
        return "(unknown)";
    }

    private static String suffix(String said) {
        return said.isEmpty() ? "" : ": " + said;
    }

    /** The server's text of the first SQL or binlog-server error, without the driver's "(conn=N)" prefix. */
    public static String serverText(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException || t instanceof ServerException) {
                return clean(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return text(error);
    }

    private static String text(Throwable error) {
        String m = error.getMessage();
        return m == null ? error.getClass().getSimpleName() : clean(m);
    }

    private static String clean(String m) {
        if (m == null) {
            return "";
        }
        String s = m.strip().replaceFirst("^\\(conn=\\d+\\)\\s*", "");
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl).strip();
    }

    private static boolean connectionState(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean has(Throwable error, Class<? extends Throwable> type) {
        return firstOf(error, type) != null;
    }

    private static <T extends Throwable> T firstOf(Throwable error, Class<T> type) {
        int depth = 0;
        for (Throwable t = error; t != null && depth < 20; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static boolean mentions(Throwable error, String words) {
        int depth = 0;
        for (Throwable t = error; t != null && depth < 20; t = t.getCause(), depth++) {
            String m = t.getMessage();
            if (m != null && m.toLowerCase(Locale.ROOT).contains(words)) {
                return true;
            }
        }
        return false;
    }
}
