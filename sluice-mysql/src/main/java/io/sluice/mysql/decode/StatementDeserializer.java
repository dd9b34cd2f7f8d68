package io.sluice.mysql.decode;

import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads QUERY and EXECUTE_LOAD_QUERY events like the library does, and also the statement's {@code sql_mode}
 * from the status variables, which the library skips. Layout (binlog v4): thread id (4), execution time (4),
 * database name length (1), error code (2), status variables length (2), for EXECUTE_LOAD_QUERY four more fields
 * (file id, file name start and end, duplicate handling: 13 bytes), the status variables, the database name and a
 * NUL, then the statement text up to the end of the event.
 *
 * <p>Status variables are (code, value) pairs whose value length depends on the code; {@code Q_SQL_MODE_CODE} is an
 * 8-byte little-endian bit set. A code this reader does not know ends the reading of the block (its length is
 * unknown), leaving the sql_mode unknown if it had not come yet: servers write it second, after the flags.
 */
public final class StatementDeserializer implements EventDataDeserializer<StatementEventData> {
    static final int Q_FLAGS2 = 0;
    static final int Q_SQL_MODE = 1;
    private static final int OVER_MAX_DBS_IN_EVENT_MTS = 254;

    private final boolean loadData;

    /** @param loadData true for EXECUTE_LOAD_QUERY events, false for QUERY events */
    public StatementDeserializer(boolean loadData) {
        this.loadData = loadData;
    }

    @Override
    public StatementEventData deserialize(ByteArrayInputStream in) throws IOException {
        StatementEventData data = new StatementEventData();
        data.setLoadData(loadData);
        data.setThreadId(in.readLong(4));
        data.setExecutionTime(in.readLong(4));
        int dbLength = in.readInteger(1);
        data.setErrorCode(in.readInteger(2));
        int statusLength = in.readInteger(2);
        if (loadData) {
            in.skip(13);
        }
        data.setSqlMode(sqlMode(in.read(statusLength)));
        data.setDatabase(new String(in.read(dbLength), StandardCharsets.UTF_8));
        in.skip(1);
        data.setSql(new String(in.read(in.available()), StandardCharsets.UTF_8));
        return data;
    }

    /** The sql_mode among the status variables, or null when they do not hold it (or it comes after unknown ones). */
    static Long sqlMode(byte[] vars) {
        int i = 0;
        while (i < vars.length) {
            int code = vars[i++] & 0xFF;
            if (code == Q_SQL_MODE) {
                return i + 8 <= vars.length ? littleEndian(vars, i, 8) : null;
            }
            int length = valueLength(code, vars, i);
            if (length < 0) {
                return null;
            }
            i += length;
        }
        return null;
    }

    /** The length of the value of status variable {@code code} starting at {@code at}, or -1 when unknown. */
    private static int valueLength(int code, byte[] vars, int at) {
        return switch (code) {
            case Q_FLAGS2, 10 -> 4; // flags2, master data written
            case 2 -> at < vars.length ? (vars[at] & 0xFF) + 2 : -1; // catalog: length, name, NUL
            case 3 -> 4; // auto_increment increment and offset
            case 4 -> 6; // character_set_client, collation_connection, collation_server
            case 5, 6 -> at < vars.length ? (vars[at] & 0xFF) + 1 : -1; // time zone, catalog (length, name)
            case 7, 8, 18 -> 2; // lc_time_names, collation_database, default_collation_for_utf8mb4
            case 9, 17, 129 -> 8; // table map for update, ddl logged with xid, MariaDB xid
            case 11 -> invoker(vars, at); // user and host, each length-prefixed
            case 12 -> updatedDbs(vars, at);
            case 13, 128 -> 3; // microseconds, MariaDB hrnow
            case 16, 19, 20, 130 -> 1; // explicit_defaults_for_timestamp, require pk, encryption, MariaDB flags3
            default -> -1;
        };
    }

    private static int invoker(byte[] vars, int at) {
        if (at >= vars.length) {
            return -1;
        }
        int user = vars[at] & 0xFF;
        int hostAt = at + 1 + user;
        return hostAt < vars.length ? 1 + user + 1 + (vars[hostAt] & 0xFF) : -1;
    }

    private static int updatedDbs(byte[] vars, int at) {
        if (at >= vars.length) {
            return -1;
        }
        int count = vars[at] & 0xFF;
        int i = at + 1;
        if (count == OVER_MAX_DBS_IN_EVENT_MTS) {
            return 1;
        }
        for (int k = 0; k < count; k++) {
            while (i < vars.length && vars[i] != 0) {
                i++;
            }
            i++; // the NUL
        }
        return i <= vars.length ? i - at : -1;
    }

    private static long littleEndian(byte[] b, int at, int n) {
        long v = 0;
        for (int k = n - 1; k >= 0; k--) {
            v = (v << 8) | (b[at + k] & 0xFF);
        }
        return v;
    }
}
