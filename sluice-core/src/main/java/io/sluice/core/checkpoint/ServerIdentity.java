package io.sluice.core.checkpoint;

/**
 * The server whose binlog a checkpoint's file positions are in. File names and offsets mean something only on
 * the server that wrote them: a replica promoted after a failover has its own binlog, where the same
 * {@code file:pos} is another transaction, or the middle of one. A source compares this identity with the server it
 * connects to before it resumes at a file position.
 *
 * @param serverId the server's {@code @@server_id} (unique among the servers of one replication topology)
 * @param uuid     MySQL's {@code @@server_uuid} (unique per data directory), or null on MariaDB, which has none
 */
public record ServerIdentity(long serverId, String uuid) {

    /** True when both name the same server: by uuid where both have one, else by server id. */
    public boolean sameAs(ServerIdentity other) {
        if (uuid != null && other.uuid != null) {
            return uuid.equalsIgnoreCase(other.uuid);
        }
        return serverId == other.serverId;
    }

    @Override
    public String toString() {
        return uuid == null ? "server_id " + serverId : "server_uuid " + uuid + " (server_id " + serverId + ")";
    }
}
