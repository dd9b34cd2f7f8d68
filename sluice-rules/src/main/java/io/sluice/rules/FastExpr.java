package io.sluice.rules;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelVariableResolver;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A checked CEL expression of the common small kind evaluated directly, without CEL's interpreter: column reads
 * ({@code after.k}, {@code before.x}, {@code row.x}, {@code source.table}), {@code op}, literals (int, double, string,
 * bool), integer and double arithmetic, string concatenation, comparisons, {@code && || !} and {@code ?:}. What a rule
 * filter such as {@code after.k % 10 != 0} is made of; the interpreter costs most of a filtered event's time.
 *
 * <p>Only the plain case is taken here: operands of one of the classes {@code Long}, {@code Double}, {@code String},
 * {@code Boolean} as CEL holds them, no overflow, no division by zero. Anything else met while evaluating (a NULL, an
 * unsigned or decimal value, mixed numeric types, an error CEL would report) gives up with {@link #GIVE_UP}, and the
 * caller evaluates the expression with CEL's interpreter, whose result or error is then the one that counts: the two
 * agree wherever this class gives a result ({@code FastExprTest} compares them over the types corpus).
 */
final class FastExpr {
    /** Thrown where this evaluator leaves the expression to CEL's interpreter. No stack trace: it is not an error. */
    static final RuntimeException GIVE_UP = new RuntimeException("not the plain case", null, false, false) {};

    /** One node of the expression. */
    private interface Node {
        Object eval(CelVariableResolver vars);
    }

    private final Node root;

    private FastExpr(Node root) {
        this.root = root;
    }

    /** The direct form of a checked expression, or null where it uses something this class does not take. */
    static FastExpr of(CelExpr e) {
        Node n = node(e);
        return n == null ? null : new FastExpr(n);
    }

    /** The expression's value as CEL gives it; throws {@link #GIVE_UP} where it leaves it to the interpreter. */
    Object eval(CelVariableResolver vars) {
        return root.eval(vars);
    }

    private static Node node(CelExpr e) {
        return switch (e.getKind()) {
            case CONSTANT -> constant(e.constant());
            case IDENT -> ident(e.ident().name());
            case SELECT -> select(e);
            case CALL -> call(e.call());
            default -> null;
        };
    }

    private static Node constant(CelConstant c) {
        Object v = switch (c.getKind()) {
            case BOOLEAN_VALUE -> c.booleanValue();
            case INT64_VALUE -> c.int64Value();
            case DOUBLE_VALUE -> c.doubleValue();
            case STRING_VALUE -> c.stringValue();
            default -> null;
        };
        return v == null ? null : vars -> v;
    }

    private static Node ident(String name) {
        if (!name.equals("op")) {
            return null; // the images and source are read through a select only
        }
        return vars -> plain(vars.find(name));
    }

    private static Node select(CelExpr e) {
        CelExpr.CelSelect s = e.select();
        if (s.testOnly() || s.operand().getKind() != CelExpr.ExprKind.Kind.IDENT) {
            return null;
        }
        String var = s.operand().ident().name();
        if (!List.of("after", "before", "row", "source").contains(var)) {
            return null;
        }
        String field = s.field();
        return vars -> {
            Optional<Object> m = vars.find(var);
            if (m.isEmpty() || !(m.get() instanceof Map<?, ?> map)) {
                throw GIVE_UP;
            }
            return plain(Optional.ofNullable(map.get(field)));
        };
    }

    /** A value of one of the four plain classes, or give up (NULL, unsigned, decimal, bytes, absent). */
    private static Object plain(Optional<Object> v) {
        Object o = v.orElse(null);
        if (o instanceof Long || o instanceof String || o instanceof Double || o instanceof Boolean) {
            return o;
        }
        throw GIVE_UP;
    }

    private static Node call(CelExpr.CelCall c) {
        if (c.target().isPresent()) {
            return null; // receiver-style functions (size, startsWith, ...) are left to CEL
        }
        List<CelExpr> args = c.args();
        Node[] a = new Node[args.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = node(args.get(i));
            if (a[i] == null) {
                return null;
            }
        }
        String f = c.function();
        if (a.length == 1) {
            Node x = a[0];
            return switch (f) {
                case "!_" -> vars -> !bool(x.eval(vars));
                case "-_" ->
                    vars -> {
                        Object v = x.eval(vars);
                        if (v instanceof Long l && l != Long.MIN_VALUE) {
                            return -l;
                        }
                        if (v instanceof Double d) {
                            return -d;
                        }
                        throw GIVE_UP;
                    };
                default -> null;
            };
        }
        if (a.length == 3 && f.equals("_?_:_")) {
            Node cond = a[0], yes = a[1], no = a[2];
            return vars -> bool(cond.eval(vars)) ? yes.eval(vars) : no.eval(vars);
        }
        if (a.length != 2) {
            return null;
        }
        Node l = a[0], r = a[1];
        return switch (f) {
            // an error on either side of && and || may be absorbed by the other side in CEL: such a case gives up
            case "_&&_" -> vars -> bool(l.eval(vars)) && bool(r.eval(vars));
            case "_||_" -> vars -> bool(l.eval(vars)) || bool(r.eval(vars));
            case "_==_" -> vars -> equal(l.eval(vars), r.eval(vars));
            case "_!=_" -> vars -> !equal(l.eval(vars), r.eval(vars));
            case "_<_" -> vars -> compare(l.eval(vars), r.eval(vars)) < 0;
            case "_<=_" -> vars -> compare(l.eval(vars), r.eval(vars)) <= 0;
            case "_>_" -> vars -> compare(l.eval(vars), r.eval(vars)) > 0;
            case "_>=_" -> vars -> compare(l.eval(vars), r.eval(vars)) >= 0;
            case "_+_" -> vars -> add(l.eval(vars), r.eval(vars));
            case "_-_" -> vars -> arithmetic('-', l.eval(vars), r.eval(vars));
            case "_*_" -> vars -> arithmetic('*', l.eval(vars), r.eval(vars));
            case "_/_" -> vars -> arithmetic('/', l.eval(vars), r.eval(vars));
            case "_%_" -> vars -> arithmetic('%', l.eval(vars), r.eval(vars));
            default -> null;
        };
    }

    private static boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw GIVE_UP;
    }

    /** Equality of two values of one plain class (doubles as IEEE compares them); other pairs give up. */
    private static boolean equal(Object x, Object y) {
        if (x instanceof Long a && y instanceof Long b) {
            return a.longValue() == b.longValue();
        }
        if (x instanceof String a && y instanceof String b) {
            return a.equals(b);
        }
        if (x instanceof Boolean a && y instanceof Boolean b) {
            return a.booleanValue() == b.booleanValue();
        }
        if (x instanceof Double a && y instanceof Double b) {
            return a.doubleValue() == b.doubleValue();
        }
        throw GIVE_UP;
    }

    /** Order of two integers or two non-NaN doubles; other pairs (strings, NaN, mixed types) give up. */
    private static int compare(Object x, Object y) {
        if (x instanceof Long a && y instanceof Long b) {
            return Long.compare(a, b);
        }
        if (x instanceof Double a && y instanceof Double b && !a.isNaN() && !b.isNaN()) {
            double p = a, q = b;
            return p < q ? -1 : p > q ? 1 : 0;
        }
        throw GIVE_UP;
    }

    private static Object add(Object x, Object y) {
        if (x instanceof String a && y instanceof String b) {
            return a.concat(b);
        }
        return arithmetic('+', x, y);
    }

    private static Object arithmetic(char op, Object x, Object y) {
        if (x instanceof Long a && y instanceof Long b) {
            long p = a, q = b;
            try {
                return switch (op) {
                    case '+' -> Math.addExact(p, q);
                    case '-' -> Math.subtractExact(p, q);
                    case '*' -> Math.multiplyExact(p, q);
                    default -> {
                        if (q == 0 || q == -1) {
                            throw GIVE_UP; // CEL's error, or its overflow at Long.MIN_VALUE
                        }
                        yield op == '/' ? p / q : p % q;
                    }
                };
            } catch (ArithmeticException overflow) {
                throw GIVE_UP;
            }
        }
        if (x instanceof Double a && y instanceof Double b && op != '%') {
            double p = a, q = b;
            if (op == '/' && q == 0) {
                throw GIVE_UP; // infinity or an error: CEL's to say
            }
            return switch (op) {
                case '+' -> p + q;
                case '-' -> p - q;
                case '*' -> p * q;
                default -> p / q;
            };
        }
        throw GIVE_UP;
    }
}
