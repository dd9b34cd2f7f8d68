package io.sluice.rules;

import io.sluice.core.event.AsciiText;
import io.sluice.core.value.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Applies {@code mask} to a value: {@code hash} is HMAC-SHA-256 of the value's text (a byte string's bytes) with the
 * key from its environment variable, as 64 lower-case hex digits, the same in every run with the same key; {@code
 * redact} gives {@code ***}; {@code keep-last: n} replaces all but the last n characters with {@code *}. NULL stays
 * NULL. One instance per thread (it keeps its {@link Mac}s).
 */
final class Masks {
    private final Map<String, byte[]> keys;
    private final Map<String, Mac> macs = new java.util.HashMap<>();

    Masks(Map<String, byte[]> keys) {
        this.keys = keys;
    }

    Object mask(RuleSpec.Mask m, Object value) {
        if (value == null) {
            return null;
        }
        if (m instanceof RuleSpec.Mask.Redact) {
            return "***";
        }
        if (m instanceof RuleSpec.Mask.KeepLast k) {
            return value instanceof AsciiText t ? keepLast(t, k.n()) : keepLast(text(value), k.n());
        }
        RuleSpec.Mask.Hash h = (RuleSpec.Mask.Hash) m;
        byte[] data = value instanceof Bytes b ? b.toArray() : text(value).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(mac(h.keyEnv()).doFinal(data));
    }

    /**
     * {@link #keepLast(String, int)} of text held as its printable ASCII bytes (one byte per character), kept so: the
     * same characters, copied into the JSON as they are, without a string made and escaped on the way.
     */
    static AsciiText keepLast(AsciiText t, int n) {
        byte[] b = t.bytes();
        int cut = b.length - n;
        if (cut <= 0) {
            return t;
        }
        byte[] masked = b.clone();
        Arrays.fill(masked, 0, cut, (byte) '*');
        return AsciiText.ofSafe(masked, masked.length);
    }

    /** All but the last {@code n} code points of {@code s} as {@code *}: walks back from the end, not the whole text. */
    static String keepLast(String s, int n) {
        int cut = s.length();
        for (int kept = 0; kept < n && cut > 0; kept++) {
            cut -= cut >= 2
                            && Character.isLowSurrogate(s.charAt(cut - 1))
                            && Character.isHighSurrogate(s.charAt(cut - 2))
                    ? 2
                    : 1;
        }
        if (cut == 0) {
            return s;
        }
        return "*".repeat(s.codePointCount(0, cut)) + s.substring(cut);
    }

    private Mac mac(String env) {
        Mac mac = macs.get(env);
        if (mac == null) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(keys.get(env), "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA-256 is not available: " + e.getMessage(), e);
            }
            macs.put(env, mac);
        }
        return mac;
    }

    private static String text(Object v) {
        if (v instanceof Bytes b) {
            return java.util.Base64.getEncoder().encodeToString(b.toArray());
        }
        if (v instanceof java.math.BigDecimal d) {
            return d.toPlainString();
        }
        return v.toString();
    }
}
