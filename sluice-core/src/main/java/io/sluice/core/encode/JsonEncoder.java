package io.sluice.core.encode;

import io.sluice.core.event.ChangeEvent;

/** {@link Encoder#json()}: encodes an event's key and after image ahead, 64-bit integers as its setting says. */
final class JsonEncoder implements Encoder {
    static final JsonEncoder INSTANCE = new JsonEncoder(BigintEncoding.NUMBER);

    private final BigintEncoding bigint;

    private JsonEncoder(BigintEncoding bigint) {
        this.bigint = bigint;
    }

    static JsonEncoder of(BigintEncoding bigint) {
        return bigint == BigintEncoding.NUMBER ? INSTANCE : new JsonEncoder(bigint);
    }

    @Override
    public Encoded encode(ChangeEvent e) {
        byte[] key = e.key() == null ? null : EventCodec.renderRow(e.key(), bigint);
        byte[] after = e.after() == null ? null : EventCodec.renderRow(e.after(), bigint);
        return new Encoded(
                e, null, key, 0, key == null ? 0 : key.length, after, 0, after == null ? 0 : after.length, bigint);
    }

    @Override
    public Encoded encode(EventRun run, int k) {
        // the snapshot's arena holds the contract's numbers: under another setting its events are encoded typed
        return bigint == BigintEncoding.NUMBER ? run.encoded(k) : encode(run.event(k));
    }

    @Override
    public boolean keepsRuns() {
        return bigint == BigintEncoding.NUMBER;
    }
}
