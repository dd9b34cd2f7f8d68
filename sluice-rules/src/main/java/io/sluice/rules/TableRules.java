package io.sluice.rules;

import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelVariableResolver;
import io.sluice.core.NearNames;
import io.sluice.core.SluiceException;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.Shaping;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.schema.Column;
import io.sluice.core.schema.TableSchema;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The rules that apply to one table at one schema version and one op, compiled: every expression type-checked against
 * the table's columns as the rules before it left them, every column a rule names checked to exist. Applies them in
 * file order to an event, giving the shaped event or null where a rule dropped it.
 *
 * <p>Bindings of an expression: {@code row}, {@code after}, {@code before} (the images: an image the event lacks reads
 * as the one it has, so a filter on {@code after} also sees the row a delete removed), {@code source} (the event's
 * source block) and {@code op} ({@code c u d r}). {@code set} and {@code route} expressions see the row after the
 * rule's {@code drop}, {@code rename} and {@code keep}, each image in turn.
 */
final class TableRules {
    /** What the table's rows look like between two steps: column names, columns (null where unknown), CEL types. */
    private record Shape(String[] names, Column[] columns, CelType[] types, Map<String, Integer> at) {
        Shape(String[] names, Column[] columns, CelType[] types) {
            this(names, columns, types, indexOf(names));
        }

        private static Map<String, Integer> indexOf(String[] names) {
            Map<String, Integer> at = new HashMap<>(names.length * 2);
            for (int i = names.length - 1; i >= 0; i--) {
                at.put(names[i], i);
            }
            return at;
        }

        Map<String, CelType> fields() {
            Map<String, CelType> f = new java.util.LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                f.put(names[i], types[i]);
            }
            return f;
        }

        int index(String name) {
            Integer i = at.get(name);
            return i == null ? -1 : i;
        }

        List<Column> columnList() {
            List<Column> cs = new ArrayList<>(names.length);
            for (int i = 0; i < names.length; i++) {
                Column c = columns[i];
                cs.add(c != null && c.name().equals(names[i]) ? c : renamed(c, names[i], types[i]));
            }
            return cs;
        }

        private static Column renamed(Column c, String name, CelType t) {
            return c == null
                    ? Cel.columnOf(name, t)
                    : new Column(
                            name,
                            c.dataType(),
                            c.length(),
                            c.scale(),
                            c.unsigned(),
                            c.charset(),
                            c.nullable(),
                            c.hasDefault(),
                            c.defaultValue(),
                            c.labels());
        }
    }

    /** One rule compiled for the table. */
    private static final class Step {
        RuleSpec spec;
        RuleStats stats;
        Cel.Expr where;
        Shape in;
        Shape mid;
        /** Index into {@code in} of each {@code mid} column. */
        int[] midFrom;

        Shape out;
        /** Per {@code out} column: index into {@code mid} (>= 0), or -1 - k for the k-th set expression. */
        int[] outFrom;

        Cel.Expr[] sets;
        RuleSpec.Mask[] masks;
        Masks masker;
        String routeFixed;
        Cel.Expr routeExpr;
        boolean reshapes;
        /** Index in {@code out} of the soft-delete flag, or -1. */
        int flag = -1;

        boolean needsMidMaps() {
            return sets.length > 0 || routeExpr != null;
        }
    }

    private final String table;
    private final int version;
    private final List<Step> steps;
    private final Shape last;
    private final int[] keyIdx;
    private final List<Column> keyColumns;
    private final String[] keyNames;
    private final LongSupplier nanoTime;
    private final long budgetNanos;
    /** The rows' table schema after the rules (the source's name and version): what the shaped events carry. */
    private final TableSchema shaped;

    private TableRules(
            String table,
            int version,
            List<Step> steps,
            Shape last,
            int[] keyIdx,
            LongSupplier nanoTime,
            long budgetNanos,
            SourceInfo source,
            int schema) {
        this.table = table;
        this.shaped = new TableSchema(
                source.db(), source.table(), schema, last.columnList(), keyIdx == null ? new int[0] : keyIdx);
        this.version = version;
        this.steps = steps;
        this.last = last;
        this.keyIdx = keyIdx;
        this.nanoTime = nanoTime;
        this.budgetNanos = budgetNanos;
        if (keyIdx == null) {
            keyColumns = null;
            keyNames = null;
        } else {
            List<Column> cols = last.columnList();
            keyNames = new String[keyIdx.length];
            List<Column> kc = new ArrayList<>();
            for (int k = 0; k < keyIdx.length; k++) {
                keyNames[k] = last.names[keyIdx[k]];
                kc.add(cols.get(keyIdx[k]));
            }
            keyColumns = List.copyOf(kc);
        }
    }

    /** True when no rule applies (the event passes untouched). */
    boolean empty() {
        return steps.isEmpty();
    }

    /**
     * Compiles the rules of {@code set} that match {@code db.table} and {@code op}, for rows like {@code sample} and
     * keys like {@code sampleKey}. Throws a fatal {@link SluiceException} naming the rule, the column and the table
     * when a rule does not fit the table.
     */
    static TableRules compile(
            RuleSet set, Cel cel, ChangeEvent sample, Map<String, RuleStats> stats, LongSupplier nanoTime) {
        SourceInfo s = sample.source();
        String table = s.db() + "." + s.table();
        Row row = sample.after() != null ? sample.after() : sample.before();
        Shape shape = shapeOf(row);
        String[] key = sample.key() == null ? null : names(sample.key());
        boolean keyDeclared = false;
        List<Step> steps = new ArrayList<>();
        for (RuleSpec spec : set.rules()) {
            if (!spec.matches(s.db(), s.table()) || !spec.ops().contains(sample.op())) {
                continue;
            }
            String where = "rule '" + spec.name() + "' on " + table + " (schema " + sample.schema() + ")";
            try {
                Step step = step(spec, shape, cel, s);
                step.stats = stats.get(spec.name());
                step.masker = new Masks(set.hashKeys());
                // the key through the rule's edits
                if (!spec.key().isEmpty()) {
                    for (String k : spec.key()) {
                        need(step.out, k, "key");
                    }
                    key = spec.key().toArray(new String[0]);
                    keyDeclared = true;
                } else if (key != null) {
                    String[] moved = new String[key.length];
                    for (int k = 0; k < key.length; k++) {
                        moved[k] = follow(spec, key[k], step.out);
                        if (moved[k] == null) {
                            throw new IllegalArgumentException("it removes the key column '" + key[k]
                                    + "': keep it, or declare the destination's key with key: [...]");
                        }
                    }
                    key = moved;
                }
                steps.add(step);
                shape = step.out;
            } catch (IllegalArgumentException e) {
                throw SluiceException.fatal(where + ": " + e.getMessage());
            }
        }
        int[] keyIdx = null;
        if (key != null && (keyDeclared || !steps.isEmpty())) {
            keyIdx = new int[key.length];
            for (int k = 0; k < key.length; k++) {
                keyIdx[k] = shape.index(key[k]);
            }
        }
        return new TableRules(
                table,
                set.version(),
                List.copyOf(steps),
                shape,
                keyIdx,
                nanoTime,
                set.limits().eventBudget().toNanos(),
                s,
                sample.schema());
    }

    /** Where the column {@code name} went through the rule's drop/rename/keep, or null when removed. */
    private static String follow(RuleSpec spec, String name, Shape out) {
        if (spec.drop().contains(name)) {
            return null;
        }
        String n = spec.rename().getOrDefault(name, name);
        if (!spec.keep().isEmpty() && !spec.keep().contains(n)) {
            return null;
        }
        return out.index(n) >= 0 ? n : null;
    }

    private static String[] names(Row r) {
        String[] n = new String[r.size()];
        for (int i = 0; i < n.length; i++) {
            n[i] = r.name(i);
        }
        return n;
    }

    private static Shape shapeOf(Row row) {
        int n = row.size();
        String[] names = new String[n];
        Column[] cols = new Column[n];
        CelType[] types = new CelType[n];
        for (int i = 0; i < n; i++) {
            names[i] = row.name(i);
            cols[i] = row.column(i);
            types[i] = Cel.typeOf(cols[i], cols[i] == null ? row.value(i) : null);
        }
        return new Shape(names, cols, types);
    }

    private static int need(Shape shape, String name, String what) {
        int i = shape.index(name);
        if (i < 0) {
            List<String> near = NearNames.near(name, Arrays.asList(shape.names), NearNames.allowance(name), 1);
            throw new IllegalArgumentException(what + " names the column '" + name + "', which the table does not have"
                    + (near.isEmpty() ? "" : " (did you mean '" + near.get(0) + "'?)") + "; its columns: "
                    + String.join(", ", shape.names));
        }
        return i;
    }

    private static Step step(RuleSpec spec, Shape in, Cel cel, SourceInfo s) {
        Step st = new Step();
        st.spec = spec;
        st.in = in;
        if (spec.where() != null) {
            st.where = compile(cel, spec.where(), in, SimpleType.BOOL, "where");
        }
        // drop, rename, keep
        List<Integer> from = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String d : spec.drop()) {
            need(in, d, "drop");
        }
        for (String r : spec.rename().keySet()) {
            need(in, r, "rename");
        }
        for (int i = 0; i < in.names.length; i++) {
            if (!spec.drop().contains(in.names[i])) {
                from.add(i);
                names.add(spec.rename().getOrDefault(in.names[i], in.names[i]));
            }
        }
        if (!spec.keep().isEmpty()) {
            for (String k : spec.keep()) {
                if (!names.contains(k)) {
                    need(in, k + "", "keep"); // names the column as the table has it, or says it is gone
                    throw new IllegalArgumentException(
                            "keep names the column '" + k + "', which this rule drops or" + " renames");
                }
            }
            for (int j = names.size() - 1; j >= 0; j--) {
                if (!spec.keep().contains(names.get(j))) {
                    names.remove(j);
                    from.remove(j);
                }
            }
        }
        int m = names.size();
        st.midFrom = from.stream().mapToInt(Integer::intValue).toArray();
        Column[] midCols = new Column[m];
        CelType[] midTypes = new CelType[m];
        for (int j = 0; j < m; j++) {
            midCols[j] = in.columns[st.midFrom[j]];
            midTypes[j] = in.types[st.midFrom[j]];
        }
        st.mid = new Shape(names.toArray(new String[0]), midCols, midTypes);
        // set
        List<String> outNames = new ArrayList<>(names);
        List<Column> outCols = new ArrayList<>(Arrays.asList(midCols));
        List<CelType> outTypes = new ArrayList<>(Arrays.asList(midTypes));
        List<Integer> outFrom = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            outFrom.add(j);
        }
        st.sets = new Cel.Expr[spec.set().size()];
        int k = 0;
        for (Map.Entry<String, String> e : spec.set().entrySet()) {
            Cel.Expr x = compile(cel, e.getValue(), st.mid, null, "set." + e.getKey());
            st.sets[k] = x;
            int at = outNames.indexOf(e.getKey());
            Column c = Cel.columnOf(e.getKey(), x.type());
            if (at < 0) {
                outNames.add(e.getKey());
                outCols.add(c);
                outTypes.add(x.type());
                outFrom.add(-1 - k);
            } else {
                outCols.set(at, c);
                outTypes.set(at, x.type());
                outFrom.set(at, -1 - k);
            }
            k++;
        }
        // mask
        st.masks = new RuleSpec.Mask[outNames.size() + 1];
        for (Map.Entry<String, RuleSpec.Mask> e : spec.mask().entrySet()) {
            int at = outNames.indexOf(e.getKey());
            if (at < 0) {
                need(new Shape(outNames.toArray(new String[0]), null, null), e.getKey(), "mask");
            }
            st.masks[at] = e.getValue();
            Column was = outCols.get(at);
            boolean nullable = was == null || was.nullable();
            outCols.set(
                    at,
                    new Column(
                            e.getKey(),
                            "varchar",
                            e.getValue() instanceof RuleSpec.Mask.Hash ? 64L : null,
                            null,
                            false,
                            "utf8mb4",
                            nullable,
                            false,
                            null,
                            List.of()));
            outTypes.set(at, SimpleType.STRING);
        }
        // soft deletes: a flag column in every image
        if (spec.deletes().kind() == RuleSpec.Deletes.Kind.SOFT) {
            String flag = spec.deletes().flag();
            if (outNames.contains(flag)) {
                throw new IllegalArgumentException(
                        "the soft-delete flag '" + flag + "' is already a column: name" + " another one");
            }
            st.flag = outNames.size();
            outNames.add(flag);
            outCols.add(new Column(flag, "tinyint", 1L, null, false, null, false, false, null, List.of()));
            outTypes.add(SimpleType.INT);
            outFrom.add(Integer.MIN_VALUE);
        }
        st.out = new Shape(
                outNames.toArray(new String[0]), outCols.toArray(new Column[0]), outTypes.toArray(new CelType[0]));
        st.outFrom = outFrom.stream().mapToInt(Integer::intValue).toArray();
        // route
        if (spec.route() != null) {
            if (spec.route().template() != null) {
                st.routeFixed = spec.route().template().replace("{db}", s.db()).replace("{table}", s.table());
            } else {
                st.routeExpr = compile(cel, spec.route().expression(), st.mid, SimpleType.STRING, "route");
            }
        }
        st.reshapes = !spec.drop().isEmpty()
                || !spec.rename().isEmpty()
                || !spec.keep().isEmpty()
                || !spec.set().isEmpty()
                || !spec.mask().isEmpty()
                || spec.route() != null
                || !spec.key().isEmpty()
                || spec.deletes().kind() == RuleSpec.Deletes.Kind.SOFT;
        return st;
    }

    private static Cel.Expr compile(Cel cel, String text, Shape shape, CelType result, String what) {
        try {
            return cel.compile(text, shape.fields(), result);
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            java.util.regex.Matcher undefined =
                    java.util.regex.Pattern.compile("undefined field '([^']*)'").matcher(msg == null ? "" : msg);
            if (undefined.find()) {
                need(shape, undefined.group(1), what + " \"" + text + "\"");
            }
            throw new IllegalArgumentException(what + " \"" + text + "\" does not compile: " + msg, e);
        }
    }

    /** The event shaped by the rules, or null when a rule dropped it. */
    ChangeEvent apply(ChangeEvent e) {
        long t0 = nanoTime.getAsLong();
        Op op = e.op();
        Object[] after = e.after() == null ? null : values(e.after());
        Object[] before = e.before() == null ? null : values(e.before());
        String route = null;
        Map<String, Object> source = null;
        long mark = t0;
        for (Step st : steps) {
            st.stats.matched.increment();
            try {
                if (st.where != null) {
                    if (source == null) {
                        source = new LazySource(e.source());
                    }
                    Map<String, Object> a = new LazyImage(st.in, after != null ? after : before);
                    Map<String, Object> b = before != null ? new LazyImage(st.in, before) : a;
                    Object keep =
                            eval(st, st.where, bind(a, b, source, op), t0, e, after != null ? after : before, st.in);
                    if (!Boolean.TRUE.equals(keep)) {
                        st.stats.dropped.increment();
                        return null;
                    }
                }
                if (op == Op.DELETE && st.spec.deletes().kind() == RuleSpec.Deletes.Kind.SKIP) {
                    st.stats.dropped.increment();
                    return null;
                }
                if (st.needsMidMaps() && source == null) {
                    source = new LazySource(e.source());
                }
                Object[] midAfter = after == null ? null : mid(st, after);
                Object[] midBefore = before == null ? null : mid(st, before);
                Map<String, Object> ma = st.needsMidMaps() && midAfter != null ? new LazyImage(st.mid, midAfter) : null;
                Map<String, Object> mb =
                        st.needsMidMaps() && midBefore != null ? new LazyImage(st.mid, midBefore) : null;
                Object[] outAfter =
                        midAfter == null ? null : out(st, midAfter, ma, mb != null ? mb : ma, source, op, t0, e);
                Object[] outBefore = midBefore == null ? null : out(st, midBefore, mb, mb, source, op, t0, e);
                if (st.routeFixed != null) {
                    route = st.routeFixed;
                } else if (st.routeExpr != null) {
                    Map<String, Object> r = ma != null ? ma : mb;
                    Object[] img = midAfter != null ? midAfter : midBefore;
                    route = (String)
                            eval(st, st.routeExpr, bind(r, mb != null ? mb : r, source, op), t0, e, img, st.mid);
                    if (route.isBlank()) {
                        throw failure(st, e, "route gives an empty destination", img, st.mid, null);
                    }
                }
                if (st.flag >= 0) {
                    if (outAfter != null) {
                        outAfter[st.flag] = 0L;
                    }
                    if (outBefore != null) {
                        outBefore[st.flag] = 0L;
                    }
                    if (op == Op.DELETE) {
                        op = Op.UPDATE;
                        outAfter = outBefore.clone();
                        outAfter[st.flag] = 1L;
                    }
                }
                after = outAfter;
                before = outBefore;
                if (st.reshapes) {
                    st.stats.changed.increment();
                }
            } catch (RuleFailure ex) {
                st.stats.errors.increment();
                throw ex;
            } catch (RuntimeException ex) {
                st.stats.errors.increment();
                throw failure(st, e, ex.getMessage(), after != null ? after : before, st.in, ex);
            } finally {
                long now = nanoTime.getAsLong();
                st.stats.nanos.add(now - mark);
                mark = now;
            }
        }
        List<Column> cols = shaped.columns();
        Row a = after == null ? null : new Row(last.names, cols, after);
        Row b = before == null ? null : new Row(last.names, cols, before);
        Row key = e.key();
        if (keyIdx != null) {
            Object[] img = op == Op.DELETE ? before : after;
            Object[] kv = new Object[keyIdx.length];
            for (int k = 0; k < kv.length; k++) {
                kv[k] = img[keyIdx[k]];
            }
            key = new Row(keyNames, keyColumns, kv);
        }
        return new ChangeEvent(
                e.id(),
                op,
                e.source(),
                key,
                b,
                a,
                e.schema(),
                e.ddl(),
                e.change(),
                shaped,
                new Shaping(version, route));
    }

    private static Object[] values(Row r) {
        Object[] v = new Object[r.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.value(i);
        }
        return v;
    }

    private static Object[] mid(Step st, Object[] in) {
        Object[] m = new Object[st.midFrom.length];
        for (int j = 0; j < m.length; j++) {
            m[j] = in[st.midFrom[j]];
        }
        return m;
    }

    private Object[] out(
            Step st,
            Object[] mid,
            Map<String, Object> self,
            Map<String, Object> before,
            Map<String, Object> source,
            Op op,
            long t0,
            ChangeEvent e) {
        Object[] o = new Object[st.outFrom.length];
        CelVariableResolver vars = st.sets.length == 0 ? null : bind(self, before, source, op);
        for (int j = 0; j < o.length; j++) {
            int f = st.outFrom[j];
            if (f >= 0) {
                o[j] = mid[f];
            } else if (f != Integer.MIN_VALUE) {
                Object v = eval(st, st.sets[-1 - f], vars, t0, e, mid, st.mid);
                o[j] = Cel.fromCel(v);
            }
            RuleSpec.Mask m = st.masks[j];
            if (m != null && o[j] != null) {
                o[j] = st.masker.mask(m, o[j]);
            }
        }
        return o;
    }

    private static CelVariableResolver bind(
            Map<String, Object> row, Map<String, Object> before, Map<String, Object> source, Op op) {
        return name -> Optional.ofNullable(
                switch (name) {
                    case "row", "after" -> row;
                    case "before" -> before;
                    case "source" -> source;
                    case "op" -> op.code();
                    default -> null;
                });
    }

    /**
     * An image as an expression reads it: a column is converted to its CEL value when the expression reads it (once),
     * so a filter on one column of a wide row converts one value, not the row.
     */
    private static final class LazyImage extends AbstractMap<String, Object> {
        private final Shape shape;
        private final Object[] values;
        private Object[] cel;

        LazyImage(Shape shape, Object[] values) {
            this.shape = shape;
            this.values = values;
        }

        @Override
        public Object get(Object name) {
            Integer i = name instanceof String n ? shape.at.get(n) : null;
            return i == null ? null : at(i);
        }

        private Object at(int i) {
            if (cel == null) {
                cel = new Object[values.length];
            }
            Object v = cel[i];
            if (v == null) {
                v = Cel.toCel(values[i], shape.types[i]);
                cel[i] = v;
            }
            return v;
        }

        @Override
        public boolean containsKey(Object name) {
            return name instanceof String n && shape.at.containsKey(n);
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Map<String, Object> all = new java.util.LinkedHashMap<>();
            for (int i = 0; i < values.length; i++) {
                all.put(shape.names[i], at(i));
            }
            return all.entrySet();
        }
    }

    /** The event's source block as an expression reads it, a field made when read. */
    private static final class LazySource extends AbstractMap<String, Object> {
        private static final List<String> FIELDS =
                List.of("name", "server_id", "gtid", "file", "pos", "row", "ts_ms", "db", "table", "snapshot");
        private final SourceInfo s;

        LazySource(SourceInfo s) {
            this.s = s;
        }

        @Override
        public Object get(Object name) {
            return name instanceof String n ? field(n) : null;
        }

        private Object field(String name) {
            return switch (name) {
                case "name" -> s.name();
                case "server_id" -> s.serverId();
                case "gtid" -> s.gtid() == null ? dev.cel.common.values.NullValue.NULL_VALUE : s.gtid();
                case "file" -> s.file() == null ? "" : s.file();
                case "pos" -> s.pos();
                case "row" -> (long) s.row();
                case "ts_ms" -> s.tsMs();
                case "db" -> s.db();
                case "table" -> s.table();
                case "snapshot" -> s.snapshot();
                default -> null;
            };
        }

        @Override
        public boolean containsKey(Object name) {
            return FIELDS.contains(name);
        }

        @Override
        public int size() {
            return FIELDS.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Map<String, Object> all = new java.util.LinkedHashMap<>();
            for (String f : FIELDS) {
                all.put(f, field(f));
            }
            return all.entrySet();
        }
    }

    private Object eval(
            Step st, Cel.Expr x, CelVariableResolver vars, long t0, ChangeEvent e, Object[] img, Shape shape) {
        Object v = null;
        FastExpr fast = x.fast();
        try {
            if (fast != null) {
                try {
                    v = fast.eval(vars);
                } catch (RuntimeException giveUp) {
                    if (giveUp != FastExpr.GIVE_UP) {
                        throw giveUp;
                    }
                    fast = null; // not the plain case: CEL's interpreter says what it is
                }
            }
            if (fast == null) {
                v = x.program().eval(vars);
            }
        } catch (CelEvaluationException ex) {
            throw failure(st, e, "\"" + x.text() + "\" failed: " + ex.getMessage(), img, shape, ex);
        }
        if (v instanceof dev.cel.runtime.CelUnknownSet) {
            throw failure(st, e, "\"" + x.text() + "\" read a value it was not given", img, shape, null);
        }
        long spent = nanoTime.getAsLong() - t0;
        if (spent > budgetNanos) {
            throw failure(
                    st,
                    e,
                    "the rules spent " + spent / 1_000_000 + " ms on this event, over the budget of "
                            + budgetNanos / 1_000_000 + " ms (\"" + x.text() + "\")",
                    img,
                    shape,
                    null);
        }
        return v;
    }

    private RuleFailure failure(Step st, ChangeEvent e, String what, Object[] img, Shape shape, Throwable cause) {
        Map<String, Object> value = new java.util.LinkedHashMap<>();
        StringBuilder row = new StringBuilder("{");
        if (img != null) {
            for (int i = 0; i < img.length && i < shape.names.length; i++) {
                value.put(shape.names[i], img[i]);
                if (row.length() > 400) {
                    continue;
                }
                if (i > 0) {
                    row.append(", ");
                }
                row.append(shape.names[i]).append('=').append(img[i]);
                if (row.length() > 400) {
                    row.append(", ...");
                }
            }
        }
        row.append('}');
        return new RuleFailure(
                st.spec.name(),
                e,
                value,
                what,
                "rule '" + st.spec.name() + "' failed on event " + e.id() + " (" + table + ", row " + row + "): "
                        + what + ". The pipeline stops here rather than drop the event: fix the rule, then start it"
                        + " again (or set on-error: dead-letter in the rule file to set such events aside)",
                cause);
    }
}
