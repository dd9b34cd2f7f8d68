package io.sluice.mysql.source;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.HeldXa;
import io.sluice.core.event.ChangeEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prepared XA groups whose XA COMMIT or ROLLBACK has not come yet, each with its rows and where it is read
 * again ({@link HeldXa}); every checkpoint lists them ({@link #positions}), so a restart reads them again.
 */
final class HeldXaGroups {
    private record HeldGroup(HeldXa at, List<ChangeEvent> events) {}

    private final Map<String, HeldGroup> held = new LinkedHashMap<>();
    /** The held XA groups of the checkpoint read from, whose PREPARE groups are read again. */
    private final List<HeldXa> checkpointHeld;

    HeldXaGroups(Checkpoint from) {
        this.checkpointHeld = from == null ? List.of() : from.heldXa();
    }

    /** Where each held group is read again, in the order they were prepared. */
    List<HeldXa> positions() {
        return held.isEmpty()
                ? List.of()
                : held.values().stream().map(HeldGroup::at).toList();
    }

    void hold(HeldXa at, List<ChangeEvent> events) {
        held.put(at.xid(), new HeldGroup(at, events));
    }

    /** The rows of the held group {@code xid}, no longer held; null for a group prepared before reading began. */
    List<ChangeEvent> take(String xid) {
        HeldGroup group = held.remove(xid);
        return group == null ? null : group.events();
    }

    /**
     * The checkpoint's held XA group that a PREPARE group read again at {@code file:pos} is: the one at its position,
     * or after a resume by GTID (on a server with other positions) the one of its xid; null for a group resolved
     * before the checkpoint.
     */
    HeldXa heldBefore(String xid, String file, long pos, boolean byGtid) {
        for (HeldXa x : checkpointHeld) {
            boolean same = byGtid ? x.xid().equals(xid) : x.at().file().equals(file) && x.at().pos() == pos;
            if (same) {
                return x;
            }
        }
        return null;
    }
}
