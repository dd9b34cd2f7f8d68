package io.sluice.core.encode;

import io.sluice.core.event.ChangeEvent;

/** {@link Encoder#json()}: encodes an event's key and after image ahead, as its {@link JsonOptions} say. */
final class JsonEncoder implements Encoder {
    static final JsonEncoder INSTANCE = new JsonEncoder(JsonOptions.DEFAULT);

    private final JsonOptions options;

    private JsonEncoder(JsonOptions options) {
        this.options = options;
    }

    static JsonEncoder of(JsonOptions options) {
        return options.equals(JsonOptions.DEFAULT) ? INSTANCE : new JsonEncoder(options);
    }

    @Override
    public Encoded encode(ChangeEvent e) {
        BigintEncoding bigint = options.bigint();
        byte[] key = e.key() == null ? null : EventCodec.renderRow(e.key(), bigint);
        byte[] after = e.after() == null ? null : EventCodec.renderRow(e.after(), bigint);
        return Encoded.ahead(e, key, after, bigint);
    }

    @Override
    public Encoded encode(EventRun run, int k) {
        // the snapshot's arena holds the contract's form: under other options its events are encoded typed
        return options.plain() ? run.encoded(k) : encode(run.event(k));
    }

    @Override
    public boolean keepsRuns() {
        return options.plain();
    }

    @Override
    public boolean marksLast() {
        return options.transactionMarkers();
    }
}
