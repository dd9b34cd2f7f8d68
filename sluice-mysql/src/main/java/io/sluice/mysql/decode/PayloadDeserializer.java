package io.sluice.mysql.decode;

import com.github.luben.zstd.Zstd;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;

/**
 * MySQL 8's TRANSACTION_PAYLOAD event ({@code binlog_transaction_compression=ON}): a zstd-compressed run of the
 * transaction's events. The library's own deserializer decodes the inner rows with its default cell decoding; this
 * one decodes them the way Sluice decodes uncompressed rows (see {@link RowsDeserializers}).
 */
final class PayloadDeserializer implements EventDataDeserializer<TransactionPayloadEventData> {
    private static final int END_MARK = 0;
    private static final int PAYLOAD_SIZE = 1;
    private static final int COMPRESSION_TYPE = 2;
    private static final int UNCOMPRESSED_SIZE = 3;
    private static final int ZSTD = 0;
    private static final int NONE = 255;

    @Override
    public TransactionPayloadEventData deserialize(ByteArrayInputStream in) throws IOException {
        TransactionPayloadEventData data = new TransactionPayloadEventData();
        data.setCompressionType(ZSTD);
        while (in.available() > 0) {
            int field = in.readPackedInteger();
            if (field == END_MARK) {
                break;
            }
            int length = in.readPackedInteger();
            switch (field) {
                case PAYLOAD_SIZE -> data.setPayloadSize(in.readPackedInteger());
                case COMPRESSION_TYPE -> data.setCompressionType(in.readPackedInteger());
                case UNCOMPRESSED_SIZE -> data.setUncompressedSize(in.readPackedInteger());
                default -> in.read(length);
            }
        }
        byte[] payload = in.read(data.getPayloadSize());
        data.setPayload(payload);
        byte[] events;
        if (data.getCompressionType() == NONE) {
            events = payload;
        } else if (data.getCompressionType() == ZSTD) {
            int size =
                    data.getUncompressedSize() > 0 ? data.getUncompressedSize() : (int) Zstd.decompressedSize(payload);
            events = new byte[size];
            long n = Zstd.decompressByteArray(events, 0, size, payload, 0, payload.length);
            if (Zstd.isError(n) || n != size) {
                throw new IOException("compressed transaction payload is corrupt: " + Zstd.getErrorName(n));
            }
        } else {
            throw new IOException("transaction payload uses compression type " + data.getCompressionType()
                    + ", which Sluice does not know");
        }
        EventDeserializer inner = RowsDeserializers.create();
        ByteArrayInputStream stream = new ByteArrayInputStream(events);
        ArrayList<Event> list = new ArrayList<>();
        for (Event e = inner.nextEvent(stream); e != null; e = inner.nextEvent(stream)) {
            list.add(e);
        }
        data.setUncompressedEvents(list);
        return data;
    }
}
