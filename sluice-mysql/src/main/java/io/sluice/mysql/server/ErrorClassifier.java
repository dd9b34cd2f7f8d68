package io.sluice.mysql.server;

import com.github.shyiko.mysql.binlog.network.ServerException;
import io.sluice.core.SluiceException;
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
import java.util.List;
import java.util.Locale;

/**
 * Turns errors from the JDBC driver, the binlog client or the network into a {@link SluiceException} with a plain
 * sentence for the operator and whether retrying (after a back-off) can help. Messages never contain a password:
 * they are built from the {@link Context} and the server's own error text only.
 *
 * <p>Known server errors: 1045 access denied, 1236 binlog position purged or unknown, another replica connected
 * with the same server id (known by its text: MariaDB 10.11 reports it as error 4052, MySQL as 1236), 1044/1142/1227
 * missing privilege, 1129 host blocked (all fatal); 1040 too many connections, 1205/1213 lock conflicts, client
 * errors 2002/2003/2006/2013 as well as refused, reset or closed connections and timeouts (retriable).
 */
public final class ErrorClassifier {

    private ErrorClassifier() {}

    /**
     * Where the error happened, for the message.
     *
     * @param host      server host, or null if unknown
     * @param port      server port, or 0
     * @param user      the user Sluice logs in as, or null
     * @param position  the binlog position or GTID set that was asked for, or null
     * @param serverId  the replica server id Sluice presented ({@code source.server-id}), or 0 if unknown
     * @param startOver when {@code position} is the pipeline's checkpoint: how to start the pipeline afresh (e.g.
     *                  which state to move away); null when the position came from {@code source.start}
     */
    public record Context(String host, int port, String user, String position, long serverId, String startOver) {

        public Context(String host, int port, String user, String position) {
            this(host, port, user, position, 0, null);
        }

        public static Context none() {
            return new Context(null, 0, null, null);
        }

        public Context withPosition(String newPosition) {
            return new Context(host, port, user, newPosition, serverId, startOver);
        }

        /** The position is the pipeline's checkpoint; {@code howTo} says how to start over (see {@link #startOver}). */
        public Context fromCheckpoint(String howTo) {
            return new Context(host, port, user, position, serverId, howTo);
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
        if (sameServerId(error)) {
            return SluiceException.fatal(
                    "Another replica connected to " + c.server() + " with "
                            + (c.serverId() > 0 ? "server id " + c.serverId() : "the same server id")
                            + ", and the server dropped this connection for it ("
                            + (code > 0 ? "error " + code + ": " : "")
                            + said
                            + "). Each replica of a server, and each Sluice pipeline reading it, needs a server id of"
                            + " its own: give this pipeline (or the other replica) a unique source.server-id. SHOW SLAVE HOSTS"
                            + " on the server lists the ids its replicas registered.",
                    error);
        }
        switch (code) {
            case 1045:
                return SluiceException.fatal(
                        "Access denied for user " + user(c, said) + " at " + c.server()
                                + ": check source.user and source.password.",
                        error);
            case 1236:
                return positionUnavailable(error, c, List.of());
            case 1044:
            case 1142:
            case 1227:
                return SluiceException.fatal(
                        "User " + user(c, said) + " lacks a privilege on " + c.server()
                                + " (error " + code + suffix(said)
                                + "). Grant it; the server check lists every missing grant"
                                + " with its GRANT statement.",
                        error);
            case 1129:
                return SluiceException.fatal(
                        "The server at " + c.server() + " blocks this host after too many"
                                + " connection errors (error 1129). Run FLUSH HOSTS on the server (or mariadb-admin"
                                + " flush-hosts) and raise max_connect_errors.",
                        error);
            case 1040:
                return SluiceException.retriable(
                        "The server at " + c.server() + " has too many connections" + " (error 1040); will try again.",
                        error);
            case 1205:
            case 1213:
                return SluiceException.retriable(
                        "A query on " + c.server() + " lost a lock conflict (error " + code + suffix(said)
                                + "); will try again.",
                        error);
            case 2002:
            case 2003:
                return unreachable(c, error);
            case 2006:
            case 2013:
                return lost(c, error);
            default:
                break;
        }
        if (has(error, ConnectException.class)
                || has(error, NoRouteToHostException.class)
                || mentions(error, "connection refused")) {
            return unreachable(c, error);
        }
        if (has(error, UnknownHostException.class)) {
            return SluiceException.retriable(
                    "Cannot resolve host " + (c.host() == null ? "" : "'" + c.host() + "'")
                            + ": check source.host (and DNS).",
                    error);
        }
        if (has(error, SocketTimeoutException.class)
                || has(error, SQLTimeoutException.class)
                || mentions(error, "timed out")
                || mentions(error, "timeout")) {
            return SluiceException.retriable(
                    "The server at " + c.server() + " did not answer in time; will try"
                            + " again. If this goes on, check the network and the server's load.",
                    error);
        }
        if (has(error, EOFException.class)
                || has(error, SocketException.class)
                || has(error, SQLRecoverableException.class)
                || has(error, SQLTransientException.class)
                || mentions(error, "connection reset")
                || mentions(error, "broken pipe")
                || connectionState(error)) {
            return lost(c, error);
        }
        if (firstOf(error, SQLException.class) != null || error instanceof ServerException) {
            return SluiceException.fatal(
                    "The server at " + c.server() + " refused: " + said + (code > 0 ? " (error " + code + ")" : "")
                            + ".",
                    error);
        }
        if (firstOf(error, java.io.IOException.class) != null) {
            return SluiceException.retriable(
                    "I/O error talking to " + c.server() + ": " + text(error) + "; will try again.", error);
        }
        return SluiceException.fatal("Unexpected error talking to " + c.server() + ": " + text(error), error);
    }

    /**
     * True when the server cannot send its binlog from the position asked for (error 1236: purged, never written,
     * not an event boundary), as opposed to the other errors the server reports with that code (another replica
     * with the same server id).
     */
    public static boolean positionUnavailable(Throwable error) {
        return errorCode(error) == 1236 && !sameServerId(error);
    }

    /**
     * The fatal error for a position the server cannot send from (see {@link #positionUnavailable(Throwable)}):
     * names the position and the binlogs the server still has, and the way forward. A configured start can be
     * changed; a checkpoint cannot ({@code source.start} is ignored once there is one), so the message says how
     * to start over ({@link Context#startOver()}).
     *
     * @param stillHas the server's binlog files, oldest first (SHOW BINARY LOGS); empty if unknown
     */
    public static SluiceException positionUnavailable(Throwable error, Context ctx, List<String> stillHas) {
        Context c = ctx == null ? Context.none() : ctx;
        String said = serverText(error);
        StringBuilder m = new StringBuilder("The server at ").append(c.server()).append(" cannot send its binlog");
        if (c.position() != null) {
            m.append(c.position().startsWith("after ") ? " " : " from ").append(c.position());
        }
        m.append(": that position has been purged or does not exist (error 1236")
                .append(suffix(said))
                .append(").");
        if (!stillHas.isEmpty()) {
            m.append(" It still has ")
                    .append(stillHas.get(0))
                    .append(" to ")
                    .append(stillHas.get(stillHas.size() - 1))
                    .append('.');
        }
        if (c.startOver() != null) {
            m.append(" That position is the pipeline's checkpoint, and source.start is ignored once a checkpoint")
                    .append(" exists, so changing it does not help. To start over: ")
                    .append(c.startOver())
                    .append(c.startOver().endsWith(".") ? "" : ".");
        } else {
            m.append(" List the binlogs the server still has with SHOW BINARY LOGS and set source.start to one of")
                    .append(" them (or to earliest, latest or snapshot).");
        }
        return SluiceException.fatal(m.toString(), error);
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

    /**
     * The server dropped this replica connection because another one with the same server id connected (MariaDB:
     * "A slave with the same server_uuid/server_id is already connected"; MySQL: "A replica/slave with the same
     * server_uuid/server_id as this replica/slave has connected to the source/master").
     */
    private static boolean sameServerId(Throwable error) {
        return mentions(error, "same server_uuid/server_id") || mentions(error, "same server_id");
    }

    private static SluiceException unreachable(Context c, Throwable error) {
        return SluiceException.retriable(
                "Nothing answered at " + c.server() + " (connection refused or no route):"
                        + " check source.host and source.port, and that the server is running and reachable.",
                error);
    }

    private static SluiceException lost(Context c, Throwable error) {
        return SluiceException.retriable(
                "Lost the connection to " + c.server() + " (" + text(error) + "); will reconnect.", error);
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
            if (t instanceof SQLException s
                    && s.getSQLState() != null
                    && s.getSQLState().startsWith("08")) {
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
