package io.sluice.core.event;

/** The kind of change an event describes, with its one-letter code from the change-event contract. */
public enum Op {
    CREATE("c"),
    UPDATE("u"),
    DELETE("d"),
    READ("r"),
    TRUNCATE("t"),
    SCHEMA("s");

    private final String code;

    Op(String code) {
        this.code = code;
    }

    /** The contract's code: {@code c u d r t s}. */
    public String code() {
        return code;
    }

    public static Op ofCode(String code) {
        for (Op op : values()) {
            if (op.code.equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown op code: " + code);
    }
}
