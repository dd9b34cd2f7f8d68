package jdk.nashorn.api.scripting;

/**
 * An empty stand-in for the Nashorn class of the same name, which Java 15 removed: Maxwell 1.22.6 (built for Java 8)
 * tests every value with {@code instanceof ScriptObjectMirror} when it writes JSON, and without the class it fails
 * on the first row. Maxwell's JavaScript filters, the only source of such values, are not used by the benchmark.
 */
public final class ScriptObjectMirror {
    private ScriptObjectMirror() {}
}
