package io.sluice.mysql.source;

import com.github.shyiko.mysql.binlog.GtidSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The GTID set executed so far, in the server's own dialect: MariaDB keeps the last {@code domain-server-seq} per
 * domain; MySQL keeps {@code uuid:interval} sets.
 *
 * <p>A MariaDB set names a place in the binlog per domain by its last sequence number, so comparisons (containment,
 * the next expected transaction) read sequence numbers as growing by one per transaction within a domain, which is
 * what a server writes, and what {@code gtid_strict_mode} enforces.
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

    /**
     * Replaces the set (from a GTID list / previous GTIDs event at the start of a binlog file). Where a MariaDB list
     * names several servers' last GTIDs in one domain, the domain's place is the one with the highest sequence number.
     */
    void reset(String set) {
        mariaDomains.clear();
        mysql = null;
        if (set == null || set.isBlank()) {
            return;
        }
        if (isMariaDb(set)) {
            for (String g : set.split(",")) {
                String gtid = g.trim();
                String had = mariaDomains.get(domain(gtid));
                if (had == null || sequence(had) < sequence(gtid)) {
                    addMariaDb(gtid);
                }
            }
        } else {
            mysql = new GtidSet(set.replace("\n", ""));
        }
    }

    /**
     * Completes the set from the one a binlog file begins with (MariaDB's GTID list, MySQL's previous GTIDs): that
     * one holds every transaction before the file, so where it contains what this set holds, it is the fuller
     * account (domains or server uuids this set has not seen, when reading began in the middle of a file).
     */
    void complete(String fileStart) {
        if (fileStart == null || fileStart.isBlank()) {
            return;
        }
        GtidTracker start = new GtidTracker(fileStart);
        if (containedIn(start)) {
            reset(fileStart);
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

    /** True when the transaction of this GTID is in the set (it was executed before the set's place). */
    boolean contains(String gtid) {
        if (isMariaDb(gtid)) {
            String last = mariaDomains.get(domain(gtid));
            return last != null && sequence(gtid) <= sequence(last);
        }
        return mysql != null && new GtidSet(gtid).isContainedWithin(mysql);
    }

    /** True when every transaction of this set is in {@code other}. */
    boolean containedIn(GtidTracker other) {
        for (String g : mariaDomains.values()) {
            if (!other.contains(g)) {
                return false;
            }
        }
        return mysql == null
                || mysql.toString().isEmpty()
                || other.mysql != null && mysql.isContainedWithin(other.mysql);
    }

    /**
     * True when, in every MariaDB domain of {@code target}, this set is at or before the target's GTID (a domain this
     * set lacks is before it): the place this set names is not past the target's.
     */
    boolean notPast(GtidTracker target) {
        for (Map.Entry<Long, String> e : target.mariaDomains.entrySet()) {
            String mine = mariaDomains.get(e.getKey());
            if (mine != null && sequence(mine) > sequence(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when a MariaDB server's GTID state at a binlog position ({@code BINLOG_GTID_POS}) has, for each domain of
     * this set, this set's GTID: the position is the place this set describes. A domain the server has and this set
     * lacks does not disagree (the set may have begun in the middle of a file, before that domain was seen).
     */
    boolean agreesWith(String serverState) {
        GtidTracker there = new GtidTracker(serverState);
        for (Map.Entry<Long, String> e : mariaDomains.entrySet()) {
            if (!e.getValue().equals(there.mariaDomains.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** What a GTID's number counts within: MariaDB's domain, MySQL's server uuid. */
    static String stream(String gtid) {
        return isMariaDb(gtid)
                ? "domain " + domain(gtid)
                : gtid.substring(0, gtid.lastIndexOf(':')).toLowerCase();
    }

    /**
     * The transactions of {@code gtid}'s domain (MariaDB) or server uuid (MySQL) that must come between this set's
     * place and {@code gtid} when {@code gtid} is the first one a server sends after it, as text for a message; null
     * when there are none (the next one, an earlier one, or one of a domain or uuid this set has not seen).
     */
    String missingBefore(String gtid) {
        if (isMariaDb(gtid)) {
            String last = mariaDomains.get(domain(gtid));
            if (last == null || sequence(gtid) <= sequence(last) + 1) {
                return null;
            }
            long from = sequence(last) + 1;
            long to = sequence(gtid) - 1;
            return (from == to ? "sequence number " + from : "sequence numbers " + from + " to " + to) + " of domain "
                    + domain(gtid);
        }
        if (mysql == null) {
            return null;
        }
        int colon = gtid.lastIndexOf(':');
        GtidSet.UUIDSet seen = mysql.getUUIDSet(gtid.substring(0, colon));
        if (seen == null || seen.getIntervals().isEmpty()) {
            return null;
        }
        long last = seen.getIntervals().get(seen.getIntervals().size() - 1).getEnd();
        long n = Long.parseLong(gtid.substring(colon + 1));
        if (n <= last + 1) {
            return null;
        }
        return gtid.substring(0, colon) + ":" + (last + 1) + (n - 1 > last + 1 ? "-" + (n - 1) : "");
    }

    /**
     * Of several sets recorded one after another by one reader (so each contains the ones before it), the earliest:
     * the one every other contains; null when none is.
     */
    static String earliest(List<String> sets) {
        for (String candidate : sets) {
            GtidTracker c = new GtidTracker(candidate);
            if (sets.stream().allMatch(o -> c.containedIn(new GtidTracker(o)))) {
                return candidate;
            }
        }
        return null;
    }

    private void addMariaDb(String gtid) {
        if (gtid.isEmpty()) {
            return;
        }
        mariaDomains.put(domain(gtid), gtid);
    }

    private static long domain(String mariaGtid) {
        return Long.parseLong(mariaGtid.substring(0, mariaGtid.indexOf('-')));
    }

    private static long sequence(String mariaGtid) {
        return Long.parseLong(mariaGtid.substring(mariaGtid.lastIndexOf('-') + 1));
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
