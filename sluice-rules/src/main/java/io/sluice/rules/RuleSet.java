package io.sluice.rules;

import io.sluice.core.SluiceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A parsed rule file at one version: its rules in order, its text and the text's SHA-256 (the content hash a deployed
 * version records), and the keys its {@code hash} masks use, read from the environment when loaded (a missing one
 * is refused then, not at the first event). Immutable.
 */
public final class RuleSet {
    private final List<RuleSpec> rules;
    private final String text;
    private final String hash;
    private final int version;
    private final Limits limits;
    private final Map<String, byte[]> hashKeys;
    private final boolean deadLetter;

    private RuleSet(
            List<RuleSpec> rules,
            String text,
            int version,
            Limits limits,
            Map<String, byte[]> hashKeys,
            boolean deadLetter) {
        this.deadLetter = deadLetter;
        this.rules = rules;
        this.text = text;
        this.hash = sha256(text);
        this.version = version;
        this.limits = limits;
        this.hashKeys = hashKeys;
    }

    /** The rule file at {@code path}, as version 1, keys from the process's environment. */
    public static RuleSet load(Path path) {
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString(), 1, System::getenv);
        } catch (IOException e) {
            throw SluiceException.fatal("cannot read the rule file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code text} (read from {@code origin}, named in messages) as rule set version {@code version}; {@code
     * env} gives the environment's variables (the keys of hash masks).
     */
    public static RuleSet parse(String text, String origin, int version, Function<String, String> env) {
        RuleFile.Parsed parsed = RuleFile.read(text, origin);
        List<RuleSpec> rules = parsed.rules();
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (RuleSpec r : rules) {
            for (RuleSpec.Mask m : r.mask().values()) {
                if (m instanceof RuleSpec.Mask.Hash h && !keys.containsKey(h.keyEnv())) {
                    String key = env.apply(h.keyEnv());
                    if (key == null || key.isEmpty()) {
                        throw SluiceException.fatal("rule '" + r.name() + "' in " + origin + " hashes with the key in"
                                + " the environment variable " + h.keyEnv() + ", which is not set: set it to a secret"
                                + " of 32 or more characters (the same one in every run keeps hashes stable)");
                    }
                    keys.put(h.keyEnv(), key.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return new RuleSet(
                rules,
                text,
                version,
                Limits.DEFAULTS,
                Map.copyOf(keys),
                parsed.onError() == RuleFile.OnError.DEAD_LETTER);
    }

    /** This rule set under other limits. */
    public RuleSet withLimits(Limits l) {
        return new RuleSet(rules, text, version, l, hashKeys, deadLetter);
    }

    /** This rule set as another version. */
    public RuleSet withVersion(int v) {
        return new RuleSet(rules, text, v, limits, hashKeys, deadLetter);
    }

    List<RuleSpec> rules() {
        return rules;
    }

    /** The rules' names, in file order. */
    public List<String> names() {
        return rules.stream().map(RuleSpec::name).toList();
    }

    /** True when some rule matches {@code db.table} (for some op). */
    public boolean touches(String db, String table) {
        for (RuleSpec r : rules) {
            if (r.matches(db, table)) {
                return true;
            }
        }
        return false;
    }

    public String text() {
        return text;
    }

    /** SHA-256 of the file's text, as hex. */
    public String hash() {
        return hash;
    }

    public int version() {
        return version;
    }

    public Limits limits() {
        return limits;
    }

    /**
     * True when the file says {@code on-error: dead-letter}: an event a rule fails on goes to the dead-letter file
     * (counted) and the pipeline goes on; false for {@code halt}, the default.
     */
    public boolean deadLetter() {
        return deadLetter;
    }

    Map<String, byte[]> hashKeys() {
        return hashKeys;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "rules v" + version + " " + names() + " (" + hash.substring(0, 12) + ")";
    }
}
