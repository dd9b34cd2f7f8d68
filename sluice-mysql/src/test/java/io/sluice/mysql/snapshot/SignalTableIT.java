package io.sluice.mysql.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.core.SluiceException;
import io.sluice.testkit.MariaDbServer;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/** Creating the signal table: a broken connection is retried, a missing privilege names the statements to run. */
class SignalTableIT {

    @Test
    void aConnectionThatBrokeWhileEnsuringTheTableIsRetriableNotFatal() throws Exception {
        Connection conn = MariaDbServer.shared().rootConnection();
        conn.close(); // as a cut connection is: every statement fails with "Connection is closed"
        SluiceException e =
                catchThrowableOfType(SluiceException.class, () -> new SignalTable(SnapshotConfig.DEFAULT).ensure(conn));
        assertThat(e.retriable()).as(e.getMessage()).isTrue();
        assertThat(e.getMessage()).contains("sluice.sluice_signal").doesNotContain("as an administrator");
    }

    @Test
    void aMissingPrivilegeIsFatalWithTheStatementsToRun() throws Exception {
        MariaDbServer server = MariaDbServer.shared();
        String user = "nocreate" + Long.toHexString(System.nanoTime());
        server.createUser(user, "pw", "SELECT ON *.*");
        SnapshotConfig config = SnapshotConfig.DEFAULT;
        try (Connection conn = java.sql.DriverManager.getConnection(server.jdbcUrl(), user, "pw")) {
            SnapshotConfig own =
                    new SnapshotConfig("sluice_" + Long.toHexString(System.nanoTime()) + ".signal", config.chunkSize());
            SluiceException e = catchThrowableOfType(SluiceException.class, () -> new SignalTable(own).ensure(conn));
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage())
                    .contains("as an administrator", "CREATE TABLE IF NOT EXISTS")
                    // the account the server knows the user as, not a placeholder
                    .contains("TO '" + user + "'@'")
                    .doesNotContain("<user>");
        }
    }
}
