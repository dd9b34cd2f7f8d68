package io.sluice.core.sink;

/** Every {@link FileSinkTest} again with direct I/O off: all writes go through the page cache. */
class FileSinkBufferedTest extends FileSinkTest {
    @Override
    boolean directIo() {
        return false;
    }
}
