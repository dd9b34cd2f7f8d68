package io.sluice.app.metrics;

import java.sql.SQLException;
import java.util.List;

/** Lists a source server's binlog files ({@code SHOW BINARY LOGS}); used only by the metrics poller thread. */
interface ServerBinlogs extends AutoCloseable {

    List<BinlogFile> list() throws SQLException;

    @Override
    void close();
}
