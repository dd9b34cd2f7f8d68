package io.sluice.mysql.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.mysql.server.Finding;
import org.junit.jupiter.api.Test;

/** The parts of the server check that need no server. */
class ServerCheckTest {

    @Test
    void aMaxAllowedPacketTooLargeForTheHeapIsANote() {
        assertThat(ServerCheck.heapNote(16L << 20, 256L << 20))
                .as("16 MiB rows fit in 256 MiB")
                .isNull();
        Finding note = ServerCheck.heapNote(1L << 30, 1L << 30);
        assertThat(note.isProblem()).isFalse();
        assertThat(note.problem())
                .startsWith("max_allowed_packet is 1024 MiB: a row that large needs about 6208 MiB"
                        + " of Java heap, and this JVM has 1024 MiB");
    }
}
