package io.sluice.mysql.source;

import com.github.shyiko.mysql.binlog.event.EventHeader;
import com.github.shyiko.mysql.binlog.event.EventType;
import io.sluice.core.SluiceException;
import io.sluice.mysql.decode.RawHeader;
import java.util.EnumSet;
import java.util.Set;

/**
 * The binlog events Sluice reads past without a handler, and the refusal of every other one. An event type is
 * passed over only when it cannot carry rows or DDL: the list below, by name, and events the server itself marks as
 * skippable by a replica that does not know their type ({@link RawHeader#ignorable()}). Any other event without a
 * handler (a type Sluice or its binlog library cannot decode, or one that changes rows in a way Sluice cannot
 * read) stops the pipeline: skipping it could lose changes of a captured table without a word.
 */
final class SkippedEvents {
    /** Types the library knows that need no handler: they change no table. */
    private static final Set<EventType> HARMLESS = EnumSet.of(
            EventType.FORMAT_DESCRIPTION, // the binlog's format: the library reads it for the checksum length
            EventType.START_V3, // the format event of old binlogs
            EventType.STOP, // the server shut down; the next file follows
            EventType.HEARTBEAT, // sent while the server has nothing to send
            EventType.INTVAR,
            EventType.RAND,
            EventType.USER_VAR, // context of the statement that follows
            EventType.ROWS_QUERY,
            EventType.ANNOTATE_ROWS, // the text of the statement whose rows follow
            EventType.IGNORABLE, // by definition
            EventType.TRANSACTION_CONTEXT,
            EventType.VIEW_CHANGE, // group replication's certification and members
            // LOAD DATA's file blocks, only staged: the EXECUTE_LOAD_QUERY that applies them is read as a statement
            // (TransactionAssembler), which stops the pipeline, or not, as source.on-statement-changes says
            EventType.BEGIN_LOAD_QUERY,
            EventType.APPEND_BLOCK,
            EventType.DELETE_FILE);
    /** MySQL 8.0.26+'s HEARTBEAT_LOG_EVENT_V2, unknown to the library. */
    private static final int HEARTBEAT_V2 = 41;
    /** MySQL 8.3+'s GTID_TAGGED_LOG_EVENT (a GTID with a tag), unknown to the library. */
    private static final int GTID_TAGGED = 42;
    /** MariaDB's START_ENCRYPTION_EVENT, unknown to the library (the server decrypts what follows for replicas). */
    private static final int START_ENCRYPTION = 164;

    private SkippedEvents() {}

    /**
     * Returns when an event without a handler may be passed over; throws a fatal error naming it, its position and
     * what to do otherwise.
     *
     * @param file the binlog file being read
     * @param pos  the event's position (of the compressed transaction payload around it, for an event inside one)
     */
    static void check(EventHeader header, String file, long pos) {
        EventType type = header.getEventType();
        RawHeader raw = header instanceof RawHeader r ? r : null;
        int number = raw == null ? -1 : raw.typeNumber();
        if (HARMLESS.contains(type)
                || number == HEARTBEAT_V2
                || number == START_ENCRYPTION
                || raw != null && raw.ignorable()) {
            return;
        }
        String name = number < 0
                ? type.toString()
                : type == EventType.UNKNOWN ? "type " + number : "type " + number + " (" + type + ")";
        throw SluiceException.fatal("binlog event of " + name + " at " + file + ":" + pos + ": " + what(type, number)
                + "; changes of captured tables may be at stake, so Sluice stops before it rather than skip it (the"
                + " checkpoint stays before its transaction, none of which was written). " + advice(type, number));
    }

    private static String what(EventType type, int number) {
        return switch (type) {
            case INCIDENT -> "the server logged an incident, so changes may be missing from the binlog";
            case PARTIAL_UPDATE_ROWS_EVENT -> "an update logged with partial JSON values, which Sluice cannot decode";
            case PRE_GA_WRITE_ROWS, PRE_GA_UPDATE_ROWS, PRE_GA_DELETE_ROWS, LOAD, NEW_LOAD, CREATE_FILE, EXEC_LOAD ->
                "a format of MySQL 5.1 or older, which Sluice cannot decode";
            default ->
                number == GTID_TAGGED
                        ? "a tagged GTID (MySQL 8.3+), which Sluice cannot decode yet"
                        : "an event type Sluice cannot decode";
        };
    }

    private static String advice(EventType type, int number) {
        String prevent = switch (type) {
            case INCIDENT -> "Check the server's error log around that time.";
            case PARTIAL_UPDATE_ROWS_EVENT ->
                "Set binlog_row_value_options='' (SET GLOBAL, in my.cnf too) so"
                        + " updates are logged with full values.";
            default ->
                number == GTID_TAGGED
                        ? "Commit captured changes without a GTID tag (gtid_next AUTOMATIC," + " not AUTOMATIC:<tag>)."
                        : "If the server writes this event for a feature you can turn off, turn"
                                + " it off; otherwise please report the event type and your server's version.";
        };
        return prevent + " To go on past it, start the pipeline over from a snapshot (a new state directory and sink"
                + " path, with start: snapshot), which re-reads the captured tables.";
    }
}
