package io.sluice.mysql.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.network.ServerException;
import io.sluice.core.SluiceException;
import io.sluice.mysql.server.ErrorClassifier.Context;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {

    private static final Context CTX = new Context("db.example", 3306, "sluice", null);

    @Test
    void accessDeniedIsFatalAndNamesTheSettings() {
        SluiceException e = ErrorClassifier.classify(
                new SQLInvalidAuthorizationSpecException(
                        "(conn=12) Access denied for user 'sluice'@'10.0.0.1' (using password: YES)", "28000", 1045),
                CTX);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage())
                .isEqualTo("Access denied for user 'sluice' at db.example:3306: check source.user"
                        + " and source.password.");
    }

    @Test
    void accessDeniedWithoutContextTakesTheUserFromTheServerText() {
        SluiceException e = ErrorClassifier.classify(
                new SQLException("Access denied for user 'bob'@'localhost' (using password: YES)", "28000", 1045));
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("'bob'@'localhost'").contains("source.password");
    }

    @Test
    void purgedBinlogIsFatalAndSaysWhichPositionAndHowToList() {
        ServerException cause =
                new ServerException("Could not find first log file name in binary log index file", 1236, "HY000");
        SluiceException e = ErrorClassifier.classify(cause, CTX.withPosition("mysql-bin.000003:4"));
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage())
                .contains("from mysql-bin.000003:4")
                .contains("purged")
                .contains("SHOW BINARY LOGS")
                .contains("Could not find first log file name");
        assertThat(e.getCause()).isSameAs(cause);

        SluiceException noPos = ErrorClassifier.classify(new SQLException("x", "HY000", 1236), CTX);
        assertThat(noPos.getMessage()).doesNotContain("binlog from").contains("SHOW BINARY LOGS");
    }

    @Test
    void aPurgedCheckpointSaysThatStartIsIgnoredAndHowToStartOver() {
        ServerException cause =
                new ServerException("Could not find first log file name in binary log index file", 1236, "HY000");
        SluiceException e = ErrorClassifier.positionUnavailable(
                cause,
                CTX.withPosition("mysql-bin.000003:4")
                        .fromCheckpoint(
                                "stop the pipeline, move away /srv/shop/state and /srv/shop/out, and start it again"),
                List.of("mysql-bin.000005", "mysql-bin.000006", "mysql-bin.000007"));
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage())
                .isEqualTo("The server at db.example:3306 cannot send its binlog from"
                        + " mysql-bin.000003:4: that position has been purged or does not exist (error 1236: Could not find"
                        + " first log file name in binary log index file). It still has mysql-bin.000005 to mysql-bin.000007."
                        + " That position is the pipeline's checkpoint, and source.start is ignored once a checkpoint exists,"
                        + " so changing it does not help. To start over: stop the pipeline, move away /srv/shop/state and"
                        + " /srv/shop/out, and start it again.");

        SluiceException configured =
                ErrorClassifier.positionUnavailable(cause, CTX.withPosition("mysql-bin.000003:4"), List.of());
        assertThat(configured.getMessage())
                .contains("set source.start to one of them")
                .doesNotContain("checkpoint");
    }

    @Test
    void anotherReplicaWithTheSameServerIdIsFatalAndNamesTheSetting() {
        Context ctx = new Context("db.example", 3306, "sluice", "mysql-bin.000001:4", 5401, null);
        for (String said : List.of(
                "A slave with the same server_uuid/server_id is already connected; the first event"
                        + " 'mysql-bin.000001' at 4, the last event read from 'mysql-bin.000001' at 328",
                "A slave with the same server_uuid/server_id as this slave has connected to the master; the first"
                        + " event '' at 4",
                "A replica with the same server_uuid/server_id as this replica has connected to the source")) {
            int code = said.contains("already connected") ? 4052 : 1236; // MariaDB 10.11 / MySQL
            SluiceException e = ErrorClassifier.classify(
                    new IOException("read failed", new ServerException(said, code, "HY000")), ctx);
            assertThat(e.retriable()).as(said).isFalse();
            assertThat(e.getMessage())
                    .as(said)
                    .startsWith("Another replica connected to db.example:3306 with server id 5401, and the server"
                            + " dropped this connection for it (error " + code + ": ")
                    .contains("give this pipeline (or the other replica) a unique source.server-id")
                    .doesNotContain("purged");
            assertThat(ErrorClassifier.positionUnavailable(new ServerException(said, 1236, "HY000")))
                    .isFalse();
        }
        assertThat(ErrorClassifier.positionUnavailable(new ServerException(
                        "Could not find first log file name in" + " binary log index file", 1236, "HY000")))
                .isTrue();
    }

    @Test
    void missingPrivilegesAreFatal() {
        for (int code : new int[] {1044, 1142, 1227}) {
            SluiceException e = ErrorClassifier.classify(
                    new SQLSyntaxErrorException(
                            "Access denied; you need (at least one of) the SUPER, BINLOG MONITOR privilege(s)",
                            "42000",
                            code),
                    CTX);
            assertThat(e.retriable()).as("code %d", code).isFalse();
            assertThat(e.getMessage())
                    .contains("'sluice'")
                    .contains("lacks a privilege")
                    .contains("error " + code)
                    .contains("BINLOG MONITOR");
        }
    }

    @Test
    void blockedHostIsFatalAndSaysFlushHosts() {
        SluiceException e = ErrorClassifier.classify(
                new SQLException("Host '10.0.0.1' is blocked because of many connection errors", "HY000", 1129), CTX);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("FLUSH HOSTS");
    }

    @Test
    void clientConnectionCodesAreRetriable() {
        for (int code : new int[] {2002, 2003, 2006, 2013, 1040, 1205, 1213}) {
            SluiceException e = ErrorClassifier.classify(new SQLException("gone", "HY000", code), CTX);
            assertThat(e.retriable()).as("code %d", code).isTrue();
            assertThat(e.getMessage()).contains("db.example:3306");
        }
        assertThat(ErrorClassifier.classify(new SQLException("x", "HY000", 2003), CTX)
                        .getMessage())
                .startsWith("Nothing answered at db.example:3306");
    }

    @Test
    void refusedConnectionFromTheDriverIsRetriableAndNamesHostAndPort() {
        SQLException e = new SQLNonTransientConnectionException(
                "Socket fail to connect to address=(host=db.example)(port=3306)(type=primary). Connection refused",
                "08000",
                -1,
                new ConnectException("Connection refused"));
        SluiceException s = ErrorClassifier.classify(e, CTX);
        assertThat(s.retriable()).isTrue();
        assertThat(s.getMessage())
                .contains("Nothing answered at db.example:3306")
                .contains("source.port");
    }

    @Test
    void networkFailuresAreRetriable() {
        assertThat(ErrorClassifier.classify(new SocketTimeoutException("Read timed out"), CTX)
                        .retriable())
                .isTrue();
        assertThat(ErrorClassifier.classify(new SocketTimeoutException("Read timed out"), CTX)
                        .getMessage())
                .contains("did not answer in time");
        assertThat(ErrorClassifier.classify(new EOFException(), CTX).retriable())
                .isTrue();
        assertThat(ErrorClassifier.classify(new SocketException("Connection reset"), CTX)
                        .getMessage())
                .startsWith("Lost the connection to db.example:3306");
        assertThat(ErrorClassifier.classify(new IOException("something odd"), CTX)
                        .retriable())
                .isTrue();
        assertThat(ErrorClassifier.classify(new SQLException("link failure", "08S01", 0), CTX)
                        .retriable())
                .isTrue();
        assertThat(ErrorClassifier.classify(new RuntimeException("wrapped", new ConnectException("refused")), CTX)
                        .retriable())
                .isTrue();
    }

    @Test
    void unknownServerErrorsAreFatalWithTheServerText() {
        SluiceException e =
                ErrorClassifier.classify(new SQLSyntaxErrorException("(conn=5) You have an error", "42000", 1064), CTX);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).isEqualTo("The server at db.example:3306 refused: You have an error (error 1064).");
    }

    @Test
    void errorCodeWalksTheCauseChain() {
        assertThat(ErrorClassifier.errorCode(new RuntimeException(new SQLException("x", "HY000", 1236))))
                .isEqualTo(1236);
        assertThat(ErrorClassifier.errorCode(new IOException(new ServerException("x", 1045, "28000"))))
                .isEqualTo(1045);
        assertThat(ErrorClassifier.errorCode(new IOException("x"))).isZero();
    }

    @Test
    void aSluiceExceptionPassesThrough() {
        SluiceException original = SluiceException.fatal("already clear");
        assertThat(ErrorClassifier.classify(original, CTX)).isSameAs(original);
    }

    @Test
    void worksWithoutContext() {
        SluiceException e = ErrorClassifier.classify(new ConnectException("Connection refused"));
        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).contains("the server");
    }
}
