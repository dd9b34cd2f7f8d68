package io.sluice.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.SluiceException;
import io.sluice.core.state.RecordLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The versions of a pipeline's rule set, kept in its state store ({@link
 * io.sluice.core.state.StateStore#ruleVersions()}): an append-only log of records {@code {version, hash, message,
 * time, origin, text}}, one per deployed version, numbered 1, 2, 3, … A rollback is a new version holding an older
 * one's text, so the log says what ran when. Written by {@code sluice rules deploy|rollback} (another process than
 * the running pipeline: the log takes appends from several), read by the running pipeline's rules stage at
 * transaction boundaries.
 */
public final class RuleVersions {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded version: the rule file's text as deployed, its SHA-256, why, when and from where. */
    public record Version(int number, String hash, String message, Instant time, String origin, String text) {}

    private final RecordLog log;

    public RuleVersions(RecordLog log) {
        this.log = log;
    }

    /** Every version, oldest first. */
    public List<Version> list() {
        try {
            List<Version> out = new ArrayList<>();
            for (byte[] r : log.read()) {
                JsonNode n = JSON.readTree(r);
                out.add(new Version(
                        n.path("version").asInt(),
                        n.path("hash").asText(),
                        n.path("message").asText(),
                        Instant.parse(n.path("time").asText()),
                        n.path("origin").asText(),
                        n.path("text").asText()));
            }
            return out;
        } catch (IOException e) {
            throw SluiceException.fatal("cannot read the rule versions in " + log.where() + ": " + e.getMessage(), e);
        }
    }

    /** The newest version, the one a running pipeline switches to. */
    public Optional<Version> latest() {
        List<Version> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Version {@code n}; refused with the versions there are when there is none. */
    public Version get(int n) {
        List<Version> all = list();
        return all.stream()
                .filter(v -> v.number() == n)
                .findFirst()
                .orElseThrow(() -> SluiceException.fatal("there is no rule version " + n + "; there are "
                        + (all.isEmpty()
                                ? "none yet"
                                : "1 to " + all.get(all.size() - 1).number())));
    }

    /**
     * Records {@code text} (read from {@code origin}) as the next version, after checking it parses as a rule file;
     * returns it, or empty when it is the newest version's text already (nothing to deploy).
     */
    public Optional<Version> deploy(String text, String origin, String message, Instant now) {
        RuleFile.parse(text, origin); // refuses a file that does not parse, before anything is recorded
        Optional<Version> last = latest();
        RuleSet probe = RuleSet.parse(text, origin, 1, k -> "-");
        if (last.isPresent() && last.get().hash().equals(probe.hash())) {
            return Optional.empty();
        }
        Version v = new Version(last.map(l -> l.number() + 1).orElse(1), probe.hash(), message, now, origin, text);
        append(v);
        return Optional.of(v);
    }

    /** Records version {@code to}'s text as the next version (a rollback is a new version). */
    public Version rollback(int to, String message, Instant now) {
        Version old = get(to);
        Version last = latest().orElseThrow();
        if (last.hash().equals(old.hash())) {
            throw SluiceException.fatal("version " + last.number() + ", the one in effect, has version " + to
                    + "'s rules already; nothing to roll back");
        }
        Version v = new Version(
                last.number() + 1,
                old.hash(),
                message == null || message.isBlank() ? "rollback to version " + to : message,
                now,
                old.origin(),
                old.text());
        append(v);
        return v;
    }

    /** The rule set of version {@code v}, its hash masks' keys from {@code env}. */
    public static RuleSet ruleSet(Version v, Function<String, String> env) {
        return RuleSet.parse(v.text(), "rule version " + v.number() + " (" + v.origin() + ")", v.number(), env);
    }

    private void append(Version v) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", v.number());
        n.put("hash", v.hash());
        n.put("message", v.message() == null ? "" : v.message());
        n.put("time", v.time().toString());
        n.put("origin", v.origin());
        n.put("text", v.text());
        try {
            log.append(JSON.writeValueAsBytes(n));
            log.sync();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record rule version " + v.number() + " in " + log.where(), e);
        }
    }
}
