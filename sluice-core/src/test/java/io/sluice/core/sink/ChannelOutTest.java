package io.sluice.core.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A segment's output when its direct I/O channel fails: the bytes go through the ordinary channel instead. */
class ChannelOutTest {
    @TempDir
    Path tmp;

    @Test
    void aFailingDirectChannelIsGivenUpAndEveryByteStillReachesTheFile() throws IOException {
        Path file = tmp.resolve("seg");
        Files.write(file, "existing-".getBytes()); // goes on after 9 bytes: inside the first block
        FileChannel direct = FileChannel.open(file, StandardOpenOption.WRITE);
        direct.close(); // every write through it fails
        byte[] expected = new byte[3 * 4096 + 1234];
        new Random(3).nextBytes(expected);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            ChannelOut out = new ChannelOut(ch, direct, 4096, 9, 8192);
            assertThat(out.directIo()).isTrue();
            out.write(expected, 0, 5000);
            out.drain(); // a whole block fails directly and goes through the channel, then the tail
            assertThat(out.directIo()).isFalse();
            assertThat(out.fallback()).isInstanceOf(ClosedChannelException.class);
            out.write(expected, 5000, expected.length - 5000); // spills, then the rest on drain
            out.drain();
            assertThat(out.count()).isEqualTo(expected.length);
        }
        byte[] all = Files.readAllBytes(file);
        assertThat(new String(all, 0, 9)).isEqualTo("existing-");
        assertThat(java.util.Arrays.copyOfRange(all, 9, all.length)).isEqualTo(expected);
    }
}
