package io.sluice.jdbc;

import io.sluice.core.event.AsciiText;
import io.sluice.core.event.JsonText;
import io.sluice.core.value.Bytes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/** Binding the values both dialects bind alike: numbers, text, bytes, JSON text, booleans and NULL. */
final class PlainValues {
    private PlainValues() {}

    /** Binds {@code v} as parameter {@code i} and returns true, or returns false when it is not a plain value. */
    static boolean bind(PreparedStatement ps, int i, Object v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.NULL);
        } else if (v instanceof Long l) {
            ps.setLong(i, l);
        } else if (v instanceof Integer n) {
            ps.setInt(i, n);
        } else if (v instanceof String s) {
            ps.setString(i, s);
        } else if (v instanceof AsciiText a) {
            ps.setString(i, a.toString());
        } else if (v instanceof BigDecimal d) {
            ps.setBigDecimal(i, d);
        } else if (v instanceof BigInteger b) {
            ps.setBigDecimal(i, new BigDecimal(b));
        } else if (v instanceof Double d) {
            ps.setDouble(i, d);
        } else if (v instanceof Float f) {
            ps.setFloat(i, f);
        } else if (v instanceof Bytes b) {
            ps.setBytes(i, b.toArray());
        } else if (v instanceof JsonText j) {
            ps.setString(i, j.json());
        } else if (v instanceof Boolean b) {
            ps.setBoolean(i, b);
        } else {
            return false;
        }
        return true;
    }

    /** The error for a value of no type the sink binds. */
    static IllegalArgumentException unbindable(Object v) {
        return new IllegalArgumentException("a value of " + v.getClass().getName() + " cannot be bound");
    }
}
