package io.sluice.mysql.decode;

import com.github.shyiko.mysql.binlog.event.QueryEventData;

/**
 * A QUERY (or EXECUTE_LOAD_QUERY) event with what the library leaves out of it: the statement's {@code sql_mode}
 * from the event's status variables, which decides how the statement's text reads (quotes, escapes).
 */
public final class StatementEventData extends QueryEventData {
    private Long sqlMode;
    private boolean loadData;

    /** The {@code sql_mode} bits the statement ran with, or null when the event does not record them. */
    public Long getSqlMode() {
        return sqlMode;
    }

    void setSqlMode(Long sqlMode) {
        this.sqlMode = sqlMode;
    }

    /** True for an EXECUTE_LOAD_QUERY event: a {@code LOAD DATA} statement logged with its file's content. */
    public boolean isLoadData() {
        return loadData;
    }

    void setLoadData(boolean loadData) {
        this.loadData = loadData;
    }

    @Override
    public String toString() {
        return super.toString() + (sqlMode == null ? "" : ", sqlMode=" + sqlMode);
    }
}
