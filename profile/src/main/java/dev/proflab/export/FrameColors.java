package dev.proflab.export;

import dev.proflab.profile.Frame;

/**
 * Colours of flame graph frames by what ran, as async-profiler's: green for the application's Java
 * code, aqua for the JDK's classes and for code the JIT inlined, red for native code, yellow for the
 * JVM's own C++ and orange for the kernel. Each frame's shade varies a little with its name, so that
 * neighbours stay apart, and the same name always gets the same shade.
 */
public final class FrameColors {

    /** What a frame is, for its colour and the legend. */
    public enum Category {
        JAVA("Java", 0x50, 0xc8, 0x50, 40, 40, 40),
        JDK("JDK / inlined", 0x50, 0xc0, 0xc8, 30, 30, 30),
        NATIVE("native", 0xe1, 0x5a, 0x5a, 30, 40, 40),
        CPP("JVM (C++)", 0xc8, 0xc8, 0x3c, 30, 30, 10),
        KERNEL("kernel", 0xe8, 0x80, 0x10, 20, 30, 0),
        ROOT("all", 0xc8, 0xc8, 0xc8, 0, 0, 0);

        final String label;
        final int r;
        final int g;
        final int b;
        final int dr;
        final int dg;
        final int db;

        Category(String label, int r, int g, int b, int dr, int dg, int db) {
            this.label = label;
            this.r = r;
            this.g = g;
            this.b = b;
            this.dr = dr;
            this.dg = dg;
            this.db = db;
        }

        /** How legends name it: {@code Java}, {@code JDK / inlined}, {@code native}, ... */
        public String label() {
            return label;
        }

        /** The category's middle shade, for legends. */
        public String base() {
            return hex(r + dr / 2, g + dg / 2, b + db / 2);
        }
    }

    private FrameColors() {
    }

    /**
     * The category of a frame (or of a merged node, by the kind that contributed most of it) from
     * its kind, class ({@link Frame#type()}) and name: what the web viewer colours by.
     */
    public static Category of(Frame.Kind kind, String type, String name) {
        return switch (kind) {
            case NATIVE -> name.contains("::") ? Category.CPP : Category.NATIVE;
            case KERNEL -> Category.KERNEL;
            case INLINED -> Category.JDK;
            case INTERPRETED, JIT -> isJdk(type) ? Category.JDK : Category.JAVA;
            case UNKNOWN -> guess(type, name);
        };
    }

    /** The category of a frame whose kind is not known (read from pprof): from its name. */
    static Category guess(String type, String name) {
        if (name.contains("::")) {
            return Category.CPP;
        }
        if (name.endsWith("_[k]")) {
            return Category.KERNEL;
        }
        String cls = type;
        if (cls.isEmpty()) {
            int dot = name.lastIndexOf('.');
            cls = dot > 0 ? name.substring(0, dot) : "";
        }
        if (!cls.isEmpty() && cls.indexOf(' ') < 0 && cls.indexOf('(') < 0) {
            return isJdk(cls) ? Category.JDK : Category.JAVA;
        }
        return Category.NATIVE;
    }

    static boolean isJdk(String type) {
        return type.startsWith("java.") || type.startsWith("javax.") || type.startsWith("jdk.")
                || type.startsWith("sun.") || type.startsWith("com.sun.");
    }

    /** The fill of a frame: its category's colour, shaded by a hash of its name. */
    public static String fill(Category c, String name) {
        if (c == Category.ROOT) {
            return c.base();
        }
        // FNV-1a: stable across runs and JVMs (String.hashCode is too, but clusters for similar names)
        int h = 0x811c9dc5;
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x01000193;
        }
        double v = (h >>> 8 & 0xffff) / 65535.0;
        return hex(c.r + (int) (c.dr * v), c.g + (int) (c.dg * v), c.b + (int) (c.db * v));
    }

    private static String hex(int r, int g, int b) {
        return String.format("#%02x%02x%02x", Math.min(r, 255), Math.min(g, 255), Math.min(b, 255));
    }
}
