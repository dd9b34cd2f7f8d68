package io.sluice.app.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** A parsed Prometheus text exposition: samples by name and labels, for assertions. */
final class Scrape {
    record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples = new ArrayList<>();
    private final String text;

    Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            samples.add(parse(line));
        }
    }

    private static Sample parse(String line) {
        int brace = line.indexOf('{');
        int space;
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        if (brace >= 0 && brace < line.indexOf(' ')) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq);
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        value.append(n == 'n' ? '\n' : n);
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            space = i + 1;
        } else {
            space = line.indexOf(' ');
            name = line.substring(0, space);
        }
        String rest = line.substring(space).trim();
        int sp = rest.indexOf(' ');
        String v = sp < 0 ? rest : rest.substring(0, sp);
        double value = switch (v) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
        return new Sample(name, labels, value);
    }

    /** Samples named {@code name} whose labels include every pair in {@code match} (k1, v1, k2, v2, ...). */
    List<Sample> all(String name, String... match) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.name.equals(name)) {
                continue;
            }
            boolean ok = true;
            for (int i = 0; i < match.length; i += 2) {
                ok &= match[i + 1].equals(s.labels.get(match[i]));
            }
            if (ok) {
                out.add(s);
            }
        }
        return out;
    }

    /** The one sample's value, or empty if none matches; fails if several do. */
    OptionalDouble value(String name, String... match) {
        List<Sample> found = all(name, match);
        if (found.size() > 1) {
            throw new AssertionError("several samples " + name + " " + List.of(match) + ": " + found);
        }
        return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.get(0).value);
    }

    /** The one sample's value; fails if none or several match. */
    double get(String name, String... match) {
        return value(name, match)
                .orElseThrow(() -> new AssertionError("no sample " + name + " " + List.of(match) + " in:\n" + text));
    }

    String text() {
        return text;
    }
}
