package dev.proflab.profile;

import java.util.Objects;

/**
 * One frame of a stack: a method and the line within it.
 *
 * @param type the class (or, for native and kernel frames, the library or an empty string), in
 *     Java's binary form with dots: {@code dev.proflab.labs.fib.Fib}, {@code java.util.HashMap$Node}
 * @param method the method name, e.g. {@code recursive}; for native/kernel frames the symbol
 * @param descriptor the JVM method descriptor, e.g. {@code (I)J}, or empty when unknown
 * @param line the source line, or 0 when unknown
 * @param kind what executed it
 */
public record Frame(String type, String method, String descriptor, int line, Kind kind) implements Comparable<Frame> {

    /**
     * By class, method, descriptor, line and kind. Being comparable keeps hash maps of frames fast when
     * a file names thousands of functions whose names collide in {@link String#hashCode()}: a
     * {@link java.util.HashMap} then keeps a colliding bucket as a tree instead of a list.
     */
    @Override
    public int compareTo(Frame o) {
        int c = type.compareTo(o.type);
        if (c == 0) {
            c = method.compareTo(o.method);
        }
        if (c == 0) {
            c = descriptor.compareTo(o.descriptor);
        }
        if (c == 0) {
            c = Integer.compare(line, o.line);
        }
        return c != 0 ? c : kind.compareTo(o.kind);
    }

    /** What kind of code a frame is: for colours and for filtering. */
    public enum Kind {
        /** Java code, interpreted. */
        INTERPRETED,
        /** Java code, compiled by C1 or C2. */
        JIT,
        /** Java code inlined into its caller by the JIT. */
        INLINED,
        /** Native code of the JVM or a library (C/C++). */
        NATIVE,
        /** The operating system's kernel. */
        KERNEL,
        /** Not known (e.g. read from pprof). */
        UNKNOWN;

        public boolean isJava() {
            return this == INTERPRETED || this == JIT || this == INLINED;
        }
    }

    public Frame {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(method, "method");
        descriptor = descriptor == null ? "" : descriptor;
        Objects.requireNonNull(kind, "kind");
    }

    // equals and hashCode written out: a record's own are linked through an invokedynamic bootstrap the first time
    // they run, ~5 ms of a short command's start-up (the same for Selection.Key, CallIndex.Key, Names.Naming)

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && line == f.line && kind == f.kind && type.equals(f.type)
                && method.equals(f.method) && descriptor.equals(f.descriptor);
    }

    @Override
    public int hashCode() {
        int h = type.hashCode();
        h = 31 * h + method.hashCode();
        h = 31 * h + descriptor.hashCode();
        h = 31 * h + line;
        return 31 * h + kind.hashCode();
    }

    /** {@code package.Class.method}, the name reports show by default (pprof's function name). */
    public String name() {
        return type.isEmpty() ? method : type + "." + method;
    }

    /**
     * The parameter types from the descriptor as Java writes them, {@code (int, java.lang.String[])}
     * for {@code (I[Ljava/lang/String;)V}; empty when the descriptor is unknown. With {@link #name()}
     * it tells overloads apart (pprof's {@code -signatures}... in Java terms).
     */
    public String parameters() {
        if (descriptor.isEmpty() || descriptor.charAt(0) != '(') {
            return "";
        }
        StringBuilder sb = new StringBuilder("(");
        int i = 1;
        int n = 0;
        while (i < descriptor.length() && descriptor.charAt(i) != ')') {
            int dims = 0;
            while (i < descriptor.length() && descriptor.charAt(i) == '[') {
                dims++;
                i++;
            }
            if (i >= descriptor.length()) {
                return "";
            }
            char c = descriptor.charAt(i);
            String t;
            if (c == 'L') {
                int semi = descriptor.indexOf(';', i);
                if (semi < 0) {
                    return "";
                }
                t = descriptor.substring(i + 1, semi).replace('/', '.');
                i = semi + 1;
            } else {
                t = switch (c) {
                    case 'B' -> "byte";
                    case 'C' -> "char";
                    case 'D' -> "double";
                    case 'F' -> "float";
                    case 'I' -> "int";
                    case 'J' -> "long";
                    case 'S' -> "short";
                    case 'Z' -> "boolean";
                    default -> null;
                };
                if (t == null) {
                    return "";
                }
                i++;
            }
            if (n++ > 0) {
                sb.append(", ");
            }
            sb.append(t).append("[]".repeat(dims));
        }
        return sb.append(')').toString();
    }

    /**
     * The source file by Java's convention, relative to a source root:
     * {@code dev/proflab/labs/fib/Fib.java} for {@code dev.proflab.labs.fib.Fib$Inner}; empty for
     * frames that are not Java. (JFR does not record file names; this is the usual guess and right for
     * every top-level class named after its file.)
     */
    public String sourceFile() {
        if (!kind.isJava() && kind != Kind.UNKNOWN || type.isEmpty()) {
            return "";
        }
        String outer = type;
        int dollar = outer.indexOf('$');
        if (dollar > 0) {
            outer = outer.substring(0, dollar);
        }
        return outer.replace('.', '/') + ".java";
    }
}
