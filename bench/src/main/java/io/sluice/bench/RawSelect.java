package io.sluice.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The ceiling for part (s), run as its own JVM: a plain JDBC {@code SELECT * FROM <table>} streamed row by row
 * (every column read with getInt/getString). Prints {@code DONE rows=<n> nanos=<connect to end>} and then waits for
 * its standard input to close, so that the parent can read its CPU time and peak RSS first.
 *
 * <p>Arguments: host port user password table
 */
public final class RawSelect {
    private RawSelect() {}

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        long rows = 0;
        long chars = 0;
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + args[0] + ":" + args[1] + "/?user="
                        + args[2] + "&password=" + args[3] + "&sslMode=disable");
                Statement st = c.createStatement()) {
            st.setFetchSize(4096);
            try (ResultSet rs = st.executeQuery("SELECT * FROM " + args[4])) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        String v = rs.getString(i);
                        chars += v == null ? 0 : v.length();
                    }
                    rows++;
                }
            }
        }
        System.out.println("DONE rows=" + rows + " nanos=" + (System.nanoTime() - t0) + " chars=" + chars);
        System.out.flush();
        System.in.read();
    }
}
