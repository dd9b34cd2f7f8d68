package io.sluice.mysql.source;

import com.github.shyiko.mysql.binlog.GtidSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * The GTID set executed so far, in the server's own dialect: MariaDB keeps the last {@code domain-server-seq} per
 * domain; MySQL keeps {@code uuid:interval} sets.
 */
final class GtidTracker {
    private final Map<Long, String> mariaDomains = new TreeMap<>();
    private GtidSet mysql;

    GtidTracker(String initial) {
        if (initial != null && !initial.isBlank()) {
            reset(initial);
        }
    }

    boolean isEmpty() {
        return mariaDomains.isEmpty() && (mysql == null || mysql.toString().isEmpty());
    }

    /** Replaces the set (from a GTID list / previous GTIDs event at the start of a binlog file). */
    void reset(String set) {
        mariaDomains.clear();
        mysql = null;
        if (set == null || set.isBlank()) {
            return;
        }
        if (isMariaDb(set)) {
            for (String g : set.split(",")) {
                addMariaDb(g.trim());
            }
        } else {
            mysql = new GtidSet(set.replace("\n", ""));
        }
    }

    /** Records an executed transaction's GTID. */
    void add(String gtid) {
        if (gtid == null) {
            return;
        }
        if (isMariaDb(gtid)) {
            addMariaDb(gtid);
        } else {
            if (mysql == null) {
                mysql = new GtidSet("");
            }
            mysql.add(gtid);
        }
    }

    private void addMariaDb(String gtid) {
        if (gtid.isEmpty()) {
            return;
        }
        long domain = Long.parseLong(gtid.substring(0, gtid.indexOf('-')));
        mariaDomains.put(domain, gtid);
    }

    static boolean isMariaDb(String gtid) {
        return gtid.matches("\\d+-\\d+-\\d+(\\s*,\\s*\\d+-\\d+-\\d+)*");
    }

    @Override
    public String toString() {
        if (mysql != null) {
            // the library writes single transactions as n-n; MySQL writes them as n
            return mysql.toString().replaceAll(":(\\d+)-\\1(?=[:,]|$)", ":$1");
        }
        return String.join(",", mariaDomains.values());
    }
}
