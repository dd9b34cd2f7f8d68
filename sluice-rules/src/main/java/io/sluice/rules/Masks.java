package io.sluice.rules;

import io.sluice.core.value.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
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
            String s = text(value);
            int cps = s.codePointCount(0, s.length());
            if (cps <= k.n()) {
                return s;
            }
            int cut = s.offsetByCodePoints(0, cps - k.n());
            return "*".repeat(cps - k.n()) + s.substring(cut);
        }
        RuleSpec.Mask.Hash h = (RuleSpec.Mask.Hash) m;
        byte[] data = value instanceof Bytes b ? b.toArray() : text(value).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(mac(h.keyEnv()).doFinal(data));
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
