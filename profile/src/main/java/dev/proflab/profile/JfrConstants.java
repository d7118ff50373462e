package dev.proflab.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The constant pools of one chunk, read by the one piece of code that parses them: for a profile
 * ({@link #read}) every stack trace as interned frame ids of a {@link Profile.Builder}, thread names,
 * class names; for a timeline ({@link #names}) the same without the stack traces, which are skipped.
 * Both keep the threads (name and Java id), the strings and the one-string types (enumerations:
 * frame types, thread states, GC names, VM operations) by type name.
 *
 * <p>Stack traces dominate big recordings (a minute of async-profiler at 100 us can hold half a
 * million), and their frames can only be named when every pool has been seen (methods, classes and
 * symbols may come after them): a frame is a (method, line, frame type) key, interned without boxing
 * and named once. The first chunk's stack traces are read in the pass over the pools as arrays of these
 * keys, interned afterwards; a later chunk's are passed over (not decoded) and read in a second pass,
 * straight into the builder, so that the stacks it repeats are not held twice ({@link #read}). Other
 * pools are read by their metadata, field by field. {@code one.jfr.JfrReader} serves as the reference
 * for this in the tests.
 */
final class JfrConstants {

    private final JfrFile.Chunk chunk;
    private final JfrMetadata meta;
    private final Profile.Builder builder;

    // symbols: id -> position of the string
    private final LongIntMap symbols = new LongIntMap(4096);
    // classes: id -> name symbol id
    private final Map<Long, Long> classNames = new HashMap<>();
    // methods: id -> index into (class, name, descriptor)
    private final LongIntMap methods = new LongIntMap(4096);
    private long[] methodRefs = new long[3 * 1024];
    private int methodCount;
    private final Map<Long, ThreadInfo> threads = new HashMap<>();
    /** Strings ({@code java.lang.String}) and one-string types by type name: id -> value. */
    private final Map<String, Map<Long, String>> enums = new HashMap<>();

    // provisional frames: (method, line, type) -> index; method ids as small indexes
    private final LongIntMap methodIndex = new LongIntMap(4096);
    private long[] methodIds = new long[1024];
    private final LongIntMap frameKeys = new LongIntMap(8192);
    /** The builder's frame id of each provisional frame, -1 until the first stack that has it is interned. */
    private int[] frameIds = new int[1024];
    private int[] frameLine = new int[1024];
    private byte[] frameType = new byte[1024];
    private int frameCount;
    // how frame types read ({@link #frameKinds}), and the names of each method, once every pool is read
    private Frame.Kind[] kinds;
    private boolean[] symbolOnly;
    private final Map<Long, String[]> methodNames = new HashMap<>();

    /** How a pass over the pools reads a stack-trace pool. */
    private enum Traces {
        /** Only to pass it. */
        SKIP,
        /** Each stack trace as an array of provisional frame ids ({@link #stacks}), interned by {@link #frames}. */
        PROVISIONAL,
        /** Each stack trace into a reused buffer of the builder's frame ids, interned at once. */
        INTERN
    }

    /** Whether the stack traces are read in the first pass over the pools (else in a second one). */
    private boolean onePass;

    /** A stack-trace pool, seen by the first pass over the pools and interned by the second. */
    private record TracePool(int pos, int count, JfrMetadata.Type type) {
    }

    private final List<TracePool> tracePools = new ArrayList<>();

    // stack traces: id -> index into stackIds (the builder's stack ids), in the order the pools hold them
    private LongIntMap stackIndex;
    private int stackCount;
    /** One pass: the stack traces as provisional frame ids, until {@link #frames} interns them. */
    private final List<int[]> stacks = new ArrayList<>();
    private int[] stackIds = new int[1024];
    private long[] stackKeys = new long[1024];
    private long maxStackId = -1;
    /** Builder stack ids by stack trace id, when the ids are small and dense (async-profiler's are). */
    private int[] direct;
    private int emptyStack = -1;
    private JfrCursor symbolCursor;
    private final Map<Integer, String> symbolCache = new HashMap<>();
    private final Map<Long, String> classNameCache = new HashMap<>();

    // the frames of the last stack trace by distance from its root: stacks share their outer frames
    private static final int CACHE = 256;
    private final long[] cacheMethod = new long[CACHE];
    private final long[] cacheLine = new long[CACHE];
    private final long[] cacheType = new long[CACHE];
    private final int[] cacheFrame = new int[CACHE];

    /** A thread of the pools: its Java name (else its OS name; null when it has neither) and Java id (0: none). */
    record ThreadInfo(String name, long javaThreadId) {
    }

    private JfrConstants(JfrFile.Chunk chunk, Profile.Builder builder) {
        Arrays.fill(cacheMethod, Long.MIN_VALUE);
        this.chunk = chunk;
        this.meta = chunk.meta;
        this.builder = builder;
    }

    /**
     * The share of the heap ({@code 1/n}) up to which a chunk that repeats stacks is still read in one pass: its
     * stack traces, held twice for a while, take at most about its size.
     */
    private static final int ONE_PASS_HEAP_SHARE = 16;

    /** For tests: the largest chunk read in one pass when the builder has stacks (-1: by the heap). */
    static long onePassChunkBytes = -1;

    /**
     * Reads every constant pool of the chunk, then interns its frames and stacks in {@code builder}. The frames can
     * only be named when every pool is read (methods, classes and symbols may come after the stack traces). The
     * first chunk that brings stacks (the builder has none yet) reads its stack traces in the one pass, as arrays
     * of provisional frame ids, interned afterwards: the new ones (nearly all) become the builder's own. A later
     * chunk, which mostly repeats stacks the builder holds, would hold them twice that way: unless it is small
     * (1/{@value #ONE_PASS_HEAP_SHARE} of the heap), its stack traces are passed over in the first pass and read in
     * a second one, each into a reused buffer interned at once and copied only when new, so that memory follows
     * the distinct stacks, not the chunks. (The second pass costs time: a recording of 70 chunks of 5.6 MB read
     * in 4.7 s instead of 4.0 s.)
     */
    static JfrConstants read(JfrFile.Chunk chunk, Profile.Builder builder) {
        JfrConstants c = new JfrConstants(chunk, java.util.Objects.requireNonNull(builder, "builder"));
        long small = onePassChunkBytes >= 0 ? onePassChunkBytes
                : dev.proflab.io.BoundedInput.heapShare(Long.MAX_VALUE, ONE_PASS_HEAP_SHARE);
        c.onePass = builder.stackCount() == 0 || chunk.size <= small;
        c.readPools();
        if (c.onePass) {
            c.frames();
        } else {
            c.internStacks();
        }
        c.index();
        return c;
    }

    /**
     * Reads every constant pool of the chunk for its names (threads, strings, enumerations, classes): stack traces
     * and methods are skipped, nothing is interned ({@link #stack} must not be called).
     */
    static JfrConstants names(JfrFile.Chunk chunk) {
        JfrConstants c = new JfrConstants(chunk, null);
        c.readPools();
        return c;
    }

    private void readPools() {
        List<Integer> pools = chunk.poolPositions();
        JfrCursor cur = new JfrCursor(chunk.buf, 0);
        // oldest pool first, as the writer added them
        for (int i = pools.size() - 1; i >= 0; i--) {
            pool(cur, pools.get(i));
        }
    }

    private void pool(JfrCursor c, int pos) {
        c.seek(pos);
        c.varint(); // size
        c.varint(); // type (1)
        c.varlong(); // start
        c.varlong(); // duration
        c.varlong(); // delta
        c.varint(); // flush
        int n = c.varint();
        for (int i = 0; i < n; i++) {
            long typeId = c.varlong();
            JfrMetadata.Type type = meta.type(typeId);
            if (type == null) {
                throw new IllegalStateException("constant pool of unknown type " + typeId);
            }
            if (type.name.equals("jdk.types.ChunkHeader")) {
                // JDK writes its chunk header as a byte array here (count, key, length, 68 bytes)
                c.skip(JfrFile.HEADER_SIZE + 3);
                continue;
            }
            int count = c.varint();
            switch (type.name) {
                case "jdk.types.StackTrace" -> {
                    if (builder != null && !onePass) {
                        tracePools.add(new TracePool(c.pos(), count, type));
                    }
                    stackTraces(c, type, count, builder != null && onePass ? Traces.PROVISIONAL : Traces.SKIP);
                }
                case "jdk.types.Method" -> {
                    if (builder != null) {
                        methods(c, type, count);
                    } else {
                        generic(c, type, count);
                    }
                }
                case "jdk.types.Symbol" -> symbols(c, type, count);
                default -> generic(c, type, count);
            }
        }
    }

    // ---- the big ones ---------------------------------------------------------------------------

    private void symbols(JfrCursor c, JfrMetadata.Type type, int count) {
        if (type.fields.size() != 1 || !isString(type.fields.get(0))) {
            generic(c, type, count);
            return;
        }
        for (int i = 0; i < count; i++) {
            long id = c.varlong();
            symbols.put(id, c.pos());
            c.skipString();
        }
    }

    private boolean isString(JfrMetadata.Field f) {
        JfrMetadata.Type t = meta.type(f.typeId());
        return !f.constantPool() && !f.array() && t != null && t.name.equals("java.lang.String");
    }

    private void methods(JfrCursor c, JfrMetadata.Type type, int count) {
        Map<String, Integer> slots = Map.of("type", 0, "name", 1, "descriptor", 2);
        JfrMetadata.Layout layout = meta.new Layout(type, slots);
        long[] out = new long[3];
        int skipFrom = layout.fieldsRead();
        for (int i = 0; i < count; i++) {
            long id = c.varlong();
            Arrays.fill(out, 0);
            layout.read(c, out);
            for (int f = skipFrom; f < type.data.length; f++) {
                meta.skip(c, type.data[f]);
            }
            if (3 * methodCount + 3 > methodRefs.length) {
                methodRefs = Arrays.copyOf(methodRefs, methodRefs.length * 2);
            }
            System.arraycopy(out, 0, methodRefs, 3 * methodCount, 3);
            methods.put(id, methodCount++);
        }
    }

    /** Reads a stack-trace pool as {@code how} says. */
    private void stackTraces(JfrCursor c, JfrMetadata.Type type, int count, Traces how) {
        boolean intern = how != Traces.SKIP;
        boolean now = how == Traces.INTERN;
        int framesField = type.fieldIndex("frames");
        JfrMetadata.Type frameType = framesField < 0 ? null : meta.type(type.fields.get(framesField).typeId());
        if (frameType == null || !type.fields.get(framesField).array()) {
            generic(c, type, count);
            return;
        }
        int nf = frameType.fields.size();
        int mi = frameType.fieldIndex("method");
        int li = frameType.fieldIndex("lineNumber");
        int ti = frameType.fieldIndex("type");
        boolean simple = true;
        int[] ops = new int[nf];
        for (int f = 0; f < nf; f++) {
            JfrMetadata.Field field = frameType.fields.get(f);
            JfrMetadata.Type ft = meta.type(field.typeId());
            boolean varint = field.constantPool() || ft != null && List.of("int", "long", "short", "char").contains(ft.name);
            boolean oneByte = !field.constantPool() && ft != null && List.of("byte", "boolean").contains(ft.name);
            ops[f] = varint ? 0 : oneByte ? 1 : 2;
            simple &= ops[f] != 2 && !field.array();
        }
        if (!simple || mi < 0) {
            generic(c, type, count);
            return;
        }
        // JDK and async-profiler: method, lineNumber, bytecodeIndex, type; all varints
        boolean standard = nf == 4 && mi == 0 && li == 1 && frameType.fieldIndex("bytecodeIndex") == 2 && ti == 3
                && ops[0] == 0 && ops[1] == 0 && ops[2] == 0 && ops[3] == 0;
        int nFields = type.data.length;
        int[] buf = new int[64];
        long[] four = new long[4];
        for (int i = 0; i < count; i++) {
            long id = c.varlong();
            int length = 0;
            for (int d = 0; d < nFields; d++) {
                if (type.dataIndex[d] != framesField) {
                    meta.skip(c, type.data[d]);
                    continue;
                }
                int depth = c.varint();
                if (depth < 0 || depth > (chunk.size - c.pos()) / 4) {
                    throw new IllegalStateException("stack trace " + id + " has " + depth + " frames");
                }
                if (!intern && standard) {
                    c.skipVarlongs(4 * depth);
                    continue;
                }
                if (intern && depth > buf.length) {
                    buf = new int[Math.max(depth, buf.length * 2)];
                }
                length = depth;
                if (standard) {
                    standardFrames(c, depth, buf, four, now);
                    continue;
                }
                for (int k = 0; k < depth; k++) {
                    long method = 0;
                    long line = 0;
                    long ftype = 0;
                    for (int x = 0; x < nf; x++) {
                        long v = ops[x] == 0 ? c.varlong() : c.u1();
                        if (x == mi) {
                            method = v;
                        } else if (x == li) {
                            line = v;
                        } else if (x == ti) {
                            ftype = v;
                        }
                    }
                    if (intern) {
                        buf[k] = frameOf(method, line, ftype, depth - 1 - k, now);
                    }
                }
            }
            if (!intern) {
                continue;
            }
            int index = stackCount++;
            if (index == stackKeys.length) {
                stackKeys = Arrays.copyOf(stackKeys, index * 2);
                stackIds = Arrays.copyOf(stackIds, index * 2);
            }
            stackKeys[index] = id;
            maxStackId = id < 0 ? Long.MAX_VALUE : Math.max(maxStackId, id);
            if (now) {
                // distinct stack trace ids may hold equal stacks (lines instead of bytecode indexes, one
                // stack recorded by two events) and chunks repeat them: interned, copied only when new
                stackIds[index] = builder.stack(buf, length);
            } else {
                stacks.add(Arrays.copyOf(buf, length));
            }
        }
    }

    /**
     * The frames of a stack trace of JDK's and async-profiler's layout (method, lineNumber, bytecodeIndex, type:
     * four varints each) into {@code buf}: the hottest loop of reading, on its own so that it compiles early.
     */
    private void standardFrames(JfrCursor c, int depth, int[] buf, long[] four, boolean now) {
        for (int k = 0; k < depth; k++) {
            c.varlongs(four, 4);
            buf[k] = frameOf(four[0], four[1], four[3], depth - 1 - k, now);
        }
    }

    /**
     * A frame of a stack trace at {@code fromRoot} frames from its root: the frame there in the last stack trace,
     * when it is the same (stacks share their outer frames), else looked up; a provisional index, or the builder's
     * frame id ({@code now}).
     */
    private int frameOf(long method, long line, long ftype, int fromRoot, boolean now) {
        if (line < 0 || line > Integer.MAX_VALUE) {
            line = 0; // JDK: -1 for native methods and unknown lines
        }
        int r = fromRoot;
        if (r < CACHE && cacheMethod[r] == method && cacheLine[r] == line && cacheType[r] == ftype) {
            return cacheFrame[r];
        }
        int f = frame(method, (int) line, (int) ftype);
        int id = now ? frameId(f) : f;
        if (r < CACHE) {
            cacheMethod[r] = method;
            cacheLine[r] = line;
            cacheType[r] = ftype;
            cacheFrame[r] = id;
        }
        return id;
    }

    /** The provisional index of a (method, line, type) frame. */
    private int frame(long method, int line, int type) {
        long key;
        if (method >= 0 && method < (1L << 32) && line >= 0 && line < (1 << 24)) {
            key = method << 32 | (long) line << 8 | (type & 0xff);
        } else {
            int m = methodIndex.get(method);
            if (m < 0) {
                m = methodIndex.size();
                methodIndex.put(method, m);
            }
            // tagged with the top bit, so it never meets an unpacked key
            key = Long.MIN_VALUE | (long) m << 32 | (long) (line & 0xffffff) << 8 | (type & 0xff);
        }
        int f = frameKeys.get(key);
        if (f >= 0) {
            return f;
        }
        f = frameCount++;
        if (f == frameIds.length) {
            int n = f * 2;
            frameIds = Arrays.copyOf(frameIds, n);
            frameLine = Arrays.copyOf(frameLine, n);
            frameType = Arrays.copyOf(frameType, n);
            methodIds = Arrays.copyOf(methodIds, n);
        }
        methodIds[f] = method;
        frameIds[f] = -1;
        frameLine[f] = line;
        frameType[f] = (byte) type;
        frameKeys.put(key, f);
        return f;
    }

    // ---- everything else, by metadata ---------------------------------------------------------------

    private void generic(JfrCursor c, JfrMetadata.Type type, int count) {
        boolean thread = type.name.equals("java.lang.Thread");
        boolean cls = type.name.equals("java.lang.Class");
        boolean string = type.name.equals("java.lang.String");
        boolean enumLike = type.fields.size() == 1 && isString(type.fields.get(0));
        Map<Long, String> values = enumLike || string ? enums.computeIfAbsent(type.name, k -> new HashMap<>()) : null;
        for (int i = 0; i < count; i++) {
            long id = c.varlong();
            if (values != null) {
                values.put(id, c.string());
            } else if (thread) {
                String javaName = null;
                String osName = null;
                long javaId = 0;
                for (JfrMetadata.Field field : type.data) {
                    Object v = meta.value(c, field);
                    switch (field.name()) {
                        case "javaName" -> javaName = v instanceof String s ? s : null;
                        case "osName" -> osName = v instanceof String s ? s : null;
                        case "javaThreadId" -> javaId = v instanceof Long l ? l : 0;
                        default -> {
                        }
                    }
                }
                threads.put(id, new ThreadInfo(javaName != null && !javaName.isEmpty() ? javaName : osName, javaId));
            } else if (cls) {
                Object name = null;
                for (JfrMetadata.Field field : type.data) {
                    Object v = meta.value(c, field);
                    if (field.name().equals("name")) {
                        name = v;
                    }
                }
                if (name instanceof Long symbol) {
                    classNames.put(id, symbol);
                }
            } else {
                for (JfrMetadata.Field field : type.data) {
                    meta.skip(c, field);
                }
            }
        }
    }

    // ---- resolving ----------------------------------------------------------------------------------

    /** One pass: every provisional frame named and interned, then every stack, owned by the builder when new. */
    private void frames() {
        frameKinds();
        for (int f = 0; f < frameCount; f++) {
            frameId(f);
        }
        for (int s = 0; s < stacks.size(); s++) {
            int[] st = stacks.get(s);
            for (int k = 0; k < st.length; k++) {
                st[k] = frameIds[st[k]];
            }
            // distinct stack trace ids may hold equal stacks (lines instead of bytecode indexes, one
            // stack recorded by two events): interned
            stackIds[s] = builder.stackOwned(st);
        }
        stacks.clear();
    }

    /** The second pass: every stack-trace pool the first one passed over, read straight into the builder. */
    private void internStacks() {
        frameKinds();
        JfrCursor cur = new JfrCursor(chunk.buf, 0);
        for (TracePool t : tracePools) {
            cur.seek(t.pos());
            stackTraces(cur, t.type(), t.count(), Traces.INTERN);
        }
        tracePools.clear();
    }

    /** The builder's stack ids by stack trace id. */
    private void index() {
        long max = maxStackId;
        if (max >= 0 && max < (1 << 26) && max <= 4L * stackCount + 1024) {
            direct = new int[(int) max + 1];
            Arrays.fill(direct, -1);
            for (int i = 0; i < stackCount; i++) {
                direct[(int) stackKeys[i]] = stackIds[i];
            }
        } else {
            stackIndex = new LongIntMap(stackCount);
            for (int i = 0; i < stackCount; i++) {
                stackIndex.put(stackKeys[i], i);
            }
        }
        stackKeys = null;
    }

    /** How each frame type of the pools reads: its {@link Frame.Kind}, and whether its frames are bare symbols. */
    private void frameKinds() {
        Map<Long, String> frameTypes = enums.getOrDefault("jdk.types.FrameType", Map.of());
        boolean profiler = frameTypes.containsValue("C++") || frameTypes.containsValue("Kernel");
        kinds = new Frame.Kind[256];
        symbolOnly = new boolean[256];
        Arrays.fill(kinds, Frame.Kind.UNKNOWN);
        if (frameTypes.isEmpty()) {
            kinds[0] = Frame.Kind.INTERPRETED;
            kinds[1] = Frame.Kind.JIT;
            kinds[2] = Frame.Kind.INLINED;
            kinds[3] = Frame.Kind.NATIVE;
        }
        frameTypes.forEach((k, v) -> {
            if (k >= 0 && k < 256) {
                int i = (int) (long) k;
                kinds[i] = kind(v);
                // async-profiler's C/C++ and kernel frames are symbols; JFR's "Native" is a Java native method
                symbolOnly[i] = v.equals("C++") || v.equals("Kernel") || profiler && v.equals("Native");
            }
        });
    }

    /** The builder's frame id of a provisional frame, interned the first time a stack has it. */
    private int frameId(int f) {
        int id = frameIds[f];
        if (id < 0) {
            String[] m = methodNames.computeIfAbsent(methodIds[f], this::method);
            int t = frameType[f] & 0xff;
            id = builder.frame(new Frame(symbolOnly[t] ? "" : m[0], m[1], m[2], frameLine[f], kinds[t]));
            frameIds[f] = id;
        }
        return id;
    }

    static Frame.Kind kind(String name) {
        return switch (name) {
            case "Interpreted" -> Frame.Kind.INTERPRETED;
            case "JIT compiled", "C1 compiled", "C2 compiled" -> Frame.Kind.JIT;
            case "Inlined" -> Frame.Kind.INLINED;
            case "Native", "C++" -> Frame.Kind.NATIVE;
            case "Kernel" -> Frame.Kind.KERNEL;
            default -> Frame.Kind.UNKNOWN;
        };
    }

    /** {class, method, descriptor} of a method id. */
    private String[] method(long id) {
        int m = methods.get(id);
        if (m < 0) {
            return new String[] {"", "[unknown]", ""};
        }
        Long classSymbol = classNames.get(methodRefs[3 * m]);
        String cls = classSymbol == null ? "" : classNameCache.computeIfAbsent(classSymbol,
                k -> JfrProfileReader.normalizeHidden(symbol(k)).replace('/', '.'));
        return new String[] {cls, symbol(methodRefs[3 * m + 1]), symbol(methodRefs[3 * m + 2])};
    }

    private String symbol(long id) {
        int pos = symbols.get(id);
        if (pos < 0) {
            return "";
        }
        // decoded once: thousands of methods may name the same (long) symbol
        String cached = symbolCache.get(pos);
        if (cached != null) {
            return cached;
        }
        if (symbolCursor == null) {
            symbolCursor = new JfrCursor(chunk.buf, pos, JfrCursor.SMALL_WINDOW);
        } else {
            symbolCursor.seek(pos);
        }
        String s = symbolCursor.string();
        s = s == null ? "" : s;
        symbolCache.put(pos, s);
        return s;
    }

    /** The builder's stack id of a stack trace id of this chunk; an empty stack for 0 or unknown ids. */
    int stack(long stackTraceId) {
        if (direct != null) {
            int s = stackTraceId > 0 && stackTraceId < direct.length ? direct[(int) stackTraceId] : -1;
            return s >= 0 ? s : empty();
        }
        int s = stackTraceId == 0 ? -1 : stackIndex.get(stackTraceId);
        return s < 0 ? empty() : stackIds[s];
    }

    private int empty() {
        if (emptyStack < 0) {
            emptyStack = builder.stack(new int[0]);
        }
        return emptyStack;
    }

    /** The thread's name, or null. */
    String thread(long id) {
        ThreadInfo t = threads.get(id);
        return t == null ? null : t.name();
    }

    /** The thread of an id, or null when the pools do not hold it. */
    ThreadInfo threadInfo(long id) {
        return threads.get(id);
    }

    /** A constant of a string pool or a one-string type ({@code jdk.types.ThreadState}, GC names...), or null. */
    String constant(String typeName, long id) {
        if (typeName == null) {
            return null;
        }
        Map<Long, String> m = enums.get(typeName);
        return m == null ? null : m.get(id);
    }

    /** A class as Java writes it ({@code byte[]}, {@code java.lang.String}), or null. */
    String className(long classId) {
        Long sym = classNames.get(classId);
        if (sym == null) {
            return null;
        }
        String s = symbol(sym);
        return s.isEmpty() ? null : JfrProfileReader.typeName(s);
    }
}
