package io.sluice.rules;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.common.primitives.UnsignedLong;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.NullableType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.sluice.core.event.AsciiText;
import io.sluice.core.event.JsonText;
import io.sluice.core.schema.Column;
import io.sluice.core.schema.SqlTypes;
import io.sluice.core.value.Bytes;
import io.sluice.core.value.DateTimeValue;
import io.sluice.core.value.DateValue;
import io.sluice.core.value.TemporalValue;
import io.sluice.core.value.TimestampValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The expression language of rules: CEL with the row images typed from the table's columns, bounded by {@link
 * Limits}. Column types map to CEL types as follows: signed integers, BIT, YEAR and UNSIGNED integers below BIGINT
 * are {@code int}; BIGINT UNSIGNED is {@code uint} (to 2^64-1); DECIMAL is {@code sluice.Decimal}, exact, compared
 * with {@code < <= > >=} and {@code compare(a, b)} (-1, 0 or 1: {@code compare(after.total, decimal('1.5')) == 0}
 * tests equality by value; CEL's {@code ==} does not apply to decimals); FLOAT and DOUBLE are
 * {@code double}; text, ENUM, SET, JSON and the temporal types are {@code string} (temporal values in the contract's
 * text, which orders as time does for DATE, DATETIME and TIMESTAMP of one precision; zero dates stay
 * {@code 0000-00-00}); byte strings are {@code bytes}. A nullable column's field may be {@code null}.
 */
final class Cel {
    static final OpaqueType DECIMAL = OpaqueType.create("sluice.Decimal");
    private static final String ROW = "sluice.Row";
    private static final String SOURCE = "sluice.Source";
    private static final StructType SOURCE_TYPE;

    static {
        Map<String, CelType> f = new LinkedHashMap<>();
        f.put("name", SimpleType.STRING);
        f.put("server_id", SimpleType.INT);
        f.put("gtid", NullableType.create(SimpleType.STRING));
        f.put("file", SimpleType.STRING);
        f.put("pos", SimpleType.INT);
        f.put("row", SimpleType.INT);
        f.put("ts_ms", SimpleType.INT);
        f.put("db", SimpleType.STRING);
        f.put("table", SimpleType.STRING);
        f.put("snapshot", SimpleType.BOOL);
        SOURCE_TYPE = struct(SOURCE, f);
    }

    private final Limits limits;
    private final CelOptions options;
    private final CelRuntime runtime;

    /** Whether expressions get their direct form ({@link FastExpr}); off only to compare the two (tests). */
    private final boolean direct;

    Cel(Limits limits) {
        this(limits, true);
    }

    /** With {@code direct} false, every expression is evaluated by CEL's interpreter (what tests compare with). */
    Cel(Limits limits, boolean direct) {
        this.limits = limits;
        this.direct = direct;
        this.options = CelOptions.current()
                .enableHeterogeneousNumericComparisons(true)
                .enableUnsignedLongs(true)
                .comprehensionMaxIterations(limits.maxIterations())
                .maxParseRecursionDepth(limits.maxDepth())
                .maxParseExpressionNodeCount(limits.maxNodes())
                .maxRegexProgramSize(limits.maxRegexSize())
                .build();
        this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
                .setOptions(options)
                .addFunctionBindings(
                        CelFunctionBinding.from("decimal_string", String.class, Cel::decimal),
                        CelFunctionBinding.from("decimal_int", Long.class, v -> BigDecimal.valueOf(v)),
                        CelFunctionBinding.from(
                                "decimal_uint", UnsignedLong.class, v -> norm(new BigDecimal(v.bigIntegerValue()))),
                        CelFunctionBinding.from(
                                "decimal_double", Double.class, v -> norm(new BigDecimal(v.toString()))),
                        CelFunctionBinding.from("string_decimal", BigDecimal.class, BigDecimal::toPlainString),
                        CelFunctionBinding.from("double_decimal", BigDecimal.class, BigDecimal::doubleValue),
                        CelFunctionBinding.from(
                                "less_decimal", BigDecimal.class, BigDecimal.class, (a, b) -> a.compareTo(b) < 0),
                        CelFunctionBinding.from(
                                "less_equals_decimal",
                                BigDecimal.class,
                                BigDecimal.class,
                                (a, b) -> a.compareTo(b) <= 0),
                        CelFunctionBinding.from(
                                "greater_decimal", BigDecimal.class, BigDecimal.class, (a, b) -> a.compareTo(b) > 0),
                        CelFunctionBinding.from(
                                "greater_equals_decimal",
                                BigDecimal.class,
                                BigDecimal.class,
                                (a, b) -> a.compareTo(b) >= 0),
                        CelFunctionBinding.from("compare_decimal", BigDecimal.class, BigDecimal.class, (a, b) ->
                                (long) Integer.signum(a.compareTo(b))),
                        CelFunctionBinding.from("is_zero_date_string", String.class, Cel::zeroDate),
                        CelFunctionBinding.from("epoch_millis_string", String.class, Cel::epochMillis))
                .build();
    }

    private static final List<CelFunctionDecl> FUNCTIONS = List.of(
            CelFunctionDecl.newFunctionDeclaration(
                    "decimal",
                    CelOverloadDecl.newGlobalOverload("decimal_string", DECIMAL, SimpleType.STRING),
                    CelOverloadDecl.newGlobalOverload("decimal_int", DECIMAL, SimpleType.INT),
                    CelOverloadDecl.newGlobalOverload("decimal_uint", DECIMAL, SimpleType.UINT),
                    CelOverloadDecl.newGlobalOverload("decimal_double", DECIMAL, SimpleType.DOUBLE)),
            CelFunctionDecl.newFunctionDeclaration(
                    "string", CelOverloadDecl.newGlobalOverload("string_decimal", SimpleType.STRING, DECIMAL)),
            CelFunctionDecl.newFunctionDeclaration(
                    "double", CelOverloadDecl.newGlobalOverload("double_decimal", SimpleType.DOUBLE, DECIMAL)),
            CelFunctionDecl.newFunctionDeclaration(
                    "_<_", CelOverloadDecl.newGlobalOverload("less_decimal", SimpleType.BOOL, DECIMAL, DECIMAL)),
            CelFunctionDecl.newFunctionDeclaration(
                    "_<=_",
                    CelOverloadDecl.newGlobalOverload("less_equals_decimal", SimpleType.BOOL, DECIMAL, DECIMAL)),
            CelFunctionDecl.newFunctionDeclaration(
                    "_>_", CelOverloadDecl.newGlobalOverload("greater_decimal", SimpleType.BOOL, DECIMAL, DECIMAL)),
            CelFunctionDecl.newFunctionDeclaration(
                    "_>=_",
                    CelOverloadDecl.newGlobalOverload("greater_equals_decimal", SimpleType.BOOL, DECIMAL, DECIMAL)),
            CelFunctionDecl.newFunctionDeclaration(
                    "compare", CelOverloadDecl.newGlobalOverload("compare_decimal", SimpleType.INT, DECIMAL, DECIMAL)),
            CelFunctionDecl.newFunctionDeclaration(
                    "is_zero_date",
                    CelOverloadDecl.newGlobalOverload("is_zero_date_string", SimpleType.BOOL, SimpleType.STRING)),
            CelFunctionDecl.newFunctionDeclaration(
                    "epoch_millis",
                    CelOverloadDecl.newGlobalOverload("epoch_millis_string", SimpleType.INT, SimpleType.STRING)));

    /**
     * A compiled expression and its result type; {@code fast} its direct form ({@link FastExpr}), or null where it
     * uses more than that takes.
     */
    record Expr(String text, CelRuntime.Program program, CelType type, FastExpr fast) {}

    /**
     * Compiles {@code text} over rows of {@code fields} (column name to CEL type); {@code result} the type it must
     * have, or null for any scalar. Throws {@link CelValidationException}'s message as an {@link
     * IllegalArgumentException}.
     */
    Expr compile(String text, Map<String, CelType> fields, CelType result) {
        if (text.length() > limits.maxChars()) {
            throw new IllegalArgumentException(
                    "the expression has " + text.length() + " characters, more than the limit " + limits.maxChars());
        }
        StructType row = struct(ROW, fields);
        CelTypeProvider types = new CelTypeProvider() {
            @Override
            public ImmutableCollection<CelType> types() {
                return ImmutableList.of(row, SOURCE_TYPE, DECIMAL);
            }

            @Override
            public Optional<CelType> findType(String name) {
                return switch (name) {
                    case ROW -> Optional.of(row);
                    case SOURCE -> Optional.of(SOURCE_TYPE);
                    default -> name.equals(DECIMAL.name()) ? Optional.of(DECIMAL) : Optional.empty();
                };
            }
        };
        var builder = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setTypeProvider(types)
                .addVar("after", row)
                .addVar("before", row)
                .addVar("row", row)
                .addVar("source", SOURCE_TYPE)
                .addVar("op", SimpleType.STRING)
                .addFunctionDeclarations(FUNCTIONS);
        if (result != null) {
            builder.setResultType(result);
        }
        CelCompiler compiler = builder.build();
        try {
            CelAbstractSyntaxTree ast = compiler.compile(text).getAst();
            CelType type = ast.getResultType();
            if (result == null && !scalar(type)) {
                throw new IllegalArgumentException("the expression gives a " + type.name() + ", not a single value");
            }
            return new Expr(text, runtime.createProgram(ast), type, direct ? FastExpr.of(ast.getExpr()) : null);
        } catch (CelValidationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (dev.cel.common.CelException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static boolean scalar(CelType t) {
        CelType u = t instanceof NullableType n ? n.targetType() : t;
        return u.kind() == CelKind.INT
                || u.kind() == CelKind.UINT
                || u.kind() == CelKind.DOUBLE
                || u.kind() == CelKind.STRING
                || u.kind() == CelKind.BOOL
                || u.kind() == CelKind.BYTES
                || u.kind() == CelKind.DYN
                || u.kind() == CelKind.NULL_TYPE
                || u.equals(DECIMAL);
    }

    private static StructType struct(String name, Map<String, CelType> fields) {
        Map<String, CelType> copy = new LinkedHashMap<>(fields);
        return StructType.create(name, ImmutableSet.copyOf(copy.keySet()), f -> Optional.ofNullable(copy.get(f)));
    }

    /** The CEL type of a column's values; {@code sample} (a value) where the column is not known. */
    static CelType typeOf(Column c, Object sample) {
        CelType t = c == null ? typeOfValue(sample) : typeOfColumn(c);
        boolean nullable = c == null || c.nullable();
        if (nullable && t instanceof SimpleType && t.kind() != CelKind.DYN) {
            return NullableType.create(t);
        }
        return t;
    }

    private static CelType typeOfColumn(Column c) {
        String dt = c.dataType() == null ? "" : c.dataType();
        if (SqlTypes.isBytes(dt)) {
            return SimpleType.BYTES;
        }
        return switch (dt) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "year" -> SimpleType.INT;
            case "bigint" -> c.unsigned() ? SimpleType.UINT : SimpleType.INT;
            case "bit" -> c.length() != null && c.length() > 63 ? SimpleType.UINT : SimpleType.INT;
            case "decimal", "numeric" -> DECIMAL;
            case "float", "double", "real" -> SimpleType.DOUBLE;
            default -> SimpleType.STRING; // text, enum, set, json, inet, uuid, temporal: their text
        };
    }

    private static CelType typeOfValue(Object v) {
        if (v instanceof Long || v instanceof Integer) {
            return SimpleType.INT;
        } else if (v instanceof BigInteger) {
            return SimpleType.UINT;
        } else if (v instanceof BigDecimal) {
            return DECIMAL;
        } else if (v instanceof Double || v instanceof Float) {
            return SimpleType.DOUBLE;
        } else if (v instanceof Bytes) {
            return SimpleType.BYTES;
        } else if (v == null) {
            return SimpleType.DYN;
        }
        return SimpleType.STRING;
    }

    /** A value of the value model as CEL sees it, given its column's CEL type. */
    static Object toCel(Object v, CelType type) {
        if (v == null) {
            return NullValue.NULL_VALUE;
        }
        CelType t = type instanceof NullableType n ? n.targetType() : type;
        if (v instanceof Long || v instanceof Integer) {
            long l = ((Number) v).longValue();
            return t.kind() == CelKind.UINT ? UnsignedLong.fromLongBits(l) : (Object) l;
        } else if (v instanceof BigInteger bi) {
            return UnsignedLong.valueOf(bi);
        } else if (v instanceof BigDecimal bd) {
            return norm(bd);
        } else if (v instanceof Double d) {
            return d;
        } else if (v instanceof Float f) {
            return Double.parseDouble(f.toString()); // 1.1f is 1.1, as the contract writes it
        } else if (v instanceof Bytes b) {
            return CelByteString.of(b.toArray());
        } else if (v instanceof Boolean b) {
            return b;
        } else if (v instanceof JsonText j) {
            return j.json();
        } else if (v instanceof AsciiText || v instanceof TemporalValue || v instanceof String) {
            return v.toString();
        }
        return v.toString();
    }

    /** A CEL result as a value of the value model. */
    static Object fromCel(Object v) {
        if (v == null || v instanceof NullValue || v instanceof com.google.protobuf.NullValue) {
            return null;
        } else if (v instanceof UnsignedLong u) {
            return u.compareTo(UnsignedLong.valueOf(Long.MAX_VALUE)) <= 0
                    ? (Object) u.longValue()
                    : u.bigIntegerValue();
        } else if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        } else if (v instanceof CelByteString b) {
            return Bytes.adopt(b.toByteArray());
        } else if (v instanceof com.google.protobuf.ByteString b) {
            return Bytes.adopt(b.toByteArray());
        } else if (v instanceof Long || v instanceof Double || v instanceof String || v instanceof BigDecimal) {
            return v;
        }
        throw new IllegalArgumentException("gives " + v.getClass().getSimpleName() + " " + v + ", not a column value");
    }

    /** The column a computed value of CEL type {@code t} makes. */
    static Column columnOf(String name, CelType type) {
        CelType t = type instanceof NullableType n ? n.targetType() : type;
        if (t.equals(DECIMAL)) {
            return column(name, "decimal", null, false, null);
        }
        return switch (t.kind()) {
            case INT -> column(name, "bigint", null, false, null);
            case UINT -> column(name, "bigint", null, true, null);
            case DOUBLE -> column(name, "double", null, false, null);
            case BOOL -> column(name, "tinyint", 1L, false, null);
            case BYTES -> column(name, "varbinary", null, false, "binary");
            default -> column(name, "varchar", null, false, "utf8mb4");
        };
    }

    static Column column(String name, String type, Long length, boolean unsigned, String charset) {
        return new Column(name, type, length, null, unsigned, charset, true, false, null, List.of());
    }

    private static BigDecimal norm(BigDecimal d) {
        return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    }

    private static BigDecimal decimal(String s) {
        try {
            return norm(new BigDecimal(s.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("decimal('" + s + "'): not a decimal number");
        }
    }

    /** A zero or partial date ({@code 0000-00-00}, {@code 2024-00-10}) in a temporal column's text. */
    static boolean zeroDate(String s) {
        return s.length() >= 10
                && s.charAt(4) == '-'
                && (s.startsWith("0000") || s.startsWith("00", 5) || s.startsWith("00", 8));
    }

    /** Milliseconds since the epoch of a DATE, DATETIME (read as UTC) or TIMESTAMP text; zero dates refused. */
    static long epochMillis(String s) {
        if (zeroDate(s)) {
            throw new IllegalArgumentException("epoch_millis('" + s + "'): a zero date is no point in time");
        }
        if (s.endsWith("Z")) {
            return TimestampValue.parse(s).toInstant().toEpochMilli();
        }
        if (s.length() == 10) {
            DateValue d = DateValue.parse(s);
            return java.time.LocalDate.of(d.year(), d.month(), d.day()).toEpochDay() * 86_400_000L;
        }
        DateTimeValue t = DateTimeValue.parse(s);
        return java.time.LocalDateTime.of(t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second())
                                .toEpochSecond(java.time.ZoneOffset.UTC)
                        * 1000
                + t.micros() / 1000;
    }
}
